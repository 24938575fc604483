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

extension JSONValue {
    public subscript(index: Int) -> JSONValue? {
        if case .array(let items) = self, items.indices.contains(index) { return items[index] }
        return nil
    }

    /// The literal text of a number.
    public var numberText: String? {
        if case .number(let text) = self { return text }
        return nil
    }

    public var boolValue: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    public var objectValue: [String: JSONValue]? {
        if case .object(let members) = self { return members }
        return nil
    }

    public var arrayValue: [JSONValue]? {
        if case .array(let items) = self { return items }
        return nil
    }

    /// True for null, an empty string or a string of only whitespace: "no value" for `from` lists and `coalesce`.
    public var isEmptyValue: Bool {
        switch self {
        case .null: return true
        case .string(let text): return TextTrim.isBlank(text)
        default: return false
        }
    }

    /// The JSON kind, for messages: `null`, `bool`, `number`, `string`, `array`, `object`.
    public var kindName: String {
        switch self {
        case .null: return "null"
        case .bool: return "bool"
        case .number: return "number"
        case .string: return "string"
        case .array: return "array"
        case .object: return "object"
        }
    }

    /// Compact JSON text (object keys sorted), for messages, keys and fixtures.
    public var jsonText: String { String(decoding: JSONWriter.bytes(self), as: UTF8.self) }

    /// A short display of the value for messages: strings unquoted, others as JSON, cut at 60 characters.
    public var shortDisplay: String {
        let text: String
        if case .string(let value) = self { text = "'\(value)'" } else { text = jsonText }
        return text.count > 60 ? String(text.prefix(57)) + "…" : text
    }
}
