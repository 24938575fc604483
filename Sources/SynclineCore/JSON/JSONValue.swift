/// A decoded JSON (or XML/form/CSV, once converted) document. Numbers keep their literal text so
/// money and large ids stay exact; conversion to a type happens in the mapping stage.
public enum JSONValue: Sendable, Equatable, Hashable {
    case null
    case bool(Bool)
    /// The number exactly as written in the source (e.g. `"12.30"`, `"1700000000000"`).
    case number(String)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public subscript(key: String) -> JSONValue? {
        if case .object(let members) = self { return members[key] }
        return nil
    }

    public var stringValue: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    public var isNull: Bool { if case .null = self { return true } else { return false } }
}
