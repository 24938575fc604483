/// How a topic's record values are encoded.
public enum PayloadFormat: String, Sendable, Equatable, CaseIterable, Codable {
    case json, xml, form, csv
}
