/// The canonical field types of SPEC §3.
public enum FieldType: String, Sendable, Equatable, CaseIterable, Codable {
    case string, int, decimal, bool, timestamp, phone, email, `enum`, object, array
}
