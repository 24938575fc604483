public import Yams

/// Converts YAML nodes (constants, defaults, fixture values) to `JSONValue`: plain scalars resolve to
/// null/bool/number like YAML does, quoted scalars stay strings, numbers keep their written text.
public enum JSONValueYAML {
    public static func value(_ node: Node) -> JSONValue {
        switch node {
        case .scalar(let scalar):
            if scalar.style != .plain { return .string(scalar.string) }
            let tag = Tag.Name(rawValue: node.tag.rawValue)
            if tag == .null { return .null }
            if tag == .bool, let flag = node.bool { return .bool(flag) }
            if tag == .int || tag == .float {
                let text = scalar.string
                if isJSONNumber(text) { return .number(text) }
                if let decimal = try? ExactDecimal.parse(text) { return .number(decimal.description) }
            }
            return .string(scalar.string)
        case .sequence(let sequence):
            return .array(sequence.map { value($0) })
        case .mapping(let mapping):
            var members: [String: JSONValue] = [:]
            for (key, item) in mapping {
                members[key.scalar?.string ?? "\(key)"] = value(item)
            }
            return .object(members)
        case .alias:
            return .null
        }
    }

    /// True when `text` is exactly a JSON number literal.
    public static func isJSONNumber(_ text: String) -> Bool {
        guard let value = try? JSONParser.parse(Array(text.utf8)), case .number = value else { return false }
        return true
    }
}
