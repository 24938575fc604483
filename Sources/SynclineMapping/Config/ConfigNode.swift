public import Yams

/// A YAML node with its file and dotted path, with typed accessors that record a precise
/// problem (file + field) instead of failing on the first mistake.
public struct ConfigNode {
    public let node: Node
    public let file: String
    public let path: String

    public init(node: Node, file: String, path: String = "") {
        self.node = node
        self.file = file
        self.path = path
    }

    /// Parses YAML text; a syntax error becomes a problem naming the file and line.
    public static func parse(_ text: String, file: String) throws(ConfigProblems) -> ConfigNode {
        do {
            guard let node = try Yams.compose(yaml: text) else {
                throw ConfigProblems([ConfigProblem(file: file, field: "", message: "the file is empty")])
            }
            return ConfigNode(node: node, file: file)
        } catch let problems as ConfigProblems {
            throw problems
        } catch {
            throw ConfigProblems([ConfigProblem(file: file, field: "", message: "not valid YAML: \(error)")])
        }
    }

    public func child(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    public func problem(_ message: String, field: String? = nil) -> ConfigProblem {
        ConfigProblem(file: file, field: field ?? path, message: message)
    }

    /// The mapping's entries in file order, or nil (with a problem) when this is not a mapping.
    public func entries(_ problems: inout [ConfigProblem]) -> [(key: String, value: ConfigNode)]? {
        guard case .mapping(let mapping) = node else {
            problems.append(problem("expected a mapping (key: value), found \(kindName)"))
            return nil
        }
        var result: [(key: String, value: ConfigNode)] = []
        for (keyNode, valueNode) in mapping {
            let key = keyNode.scalar?.string ?? "\(keyNode)"
            result.append((key, ConfigNode(node: valueNode, file: file, path: child(key))))
        }
        return result
    }

    public subscript(key: String) -> ConfigNode? {
        guard case .mapping(let mapping) = node, let value = mapping[key] else { return nil }
        return ConfigNode(node: value, file: file, path: child(key))
    }

    public var isMapping: Bool { if case .mapping = node { return true } else { return false } }

    public var kindName: String {
        switch node {
        case .scalar(let scalar): return "the scalar '\(scalar.string)'"
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        }
    }

    /// The scalar text, or nil (with a problem) when the node is not a scalar.
    public func string(_ problems: inout [ConfigProblem]) -> String? {
        guard case .scalar(let scalar) = node else {
            problems.append(problem("expected a text value, found \(kindName)"))
            return nil
        }
        return scalar.string
    }

    public func int(_ problems: inout [ConfigProblem]) -> Int? {
        guard let text = string(&problems) else { return nil }
        guard let value = Int(text.replacingOccurrences(of: "_", with: "")) else {
            problems.append(problem("expected a whole number, found '\(text)'"))
            return nil
        }
        return value
    }

    public func double(_ problems: inout [ConfigProblem]) -> Double? {
        guard let text = string(&problems) else { return nil }
        guard let value = Double(text) else {
            problems.append(problem("expected a number, found '\(text)'"))
            return nil
        }
        return value
    }

    public func bool(_ problems: inout [ConfigProblem]) -> Bool? {
        guard let text = string(&problems) else { return nil }
        switch text.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default:
            problems.append(problem("expected true or false, found '\(text)'"))
            return nil
        }
    }

    /// A list's items, or a single scalar treated as a one-item list.
    public func list(_ problems: inout [ConfigProblem]) -> [ConfigNode]? {
        switch node {
        case .sequence(let sequence):
            return sequence.enumerated().map { ConfigNode(node: $0.element, file: file, path: "\(path)[\($0.offset)]") }
        case .scalar:
            return [self]
        default:
            problems.append(problem("expected a list, found \(kindName)"))
            return nil
        }
    }

    public func strings(_ problems: inout [ConfigProblem]) -> [String]? {
        guard let items = list(&problems) else { return nil }
        return items.compactMap { $0.string(&problems) }
    }

    /// Reports keys this mapping has that the format does not know (usually a typo).
    public func rejectUnknownKeys(allowed: Set<String>, _ problems: inout [ConfigProblem]) {
        guard case .mapping(let mapping) = node else { return }
        for keyNode in mapping.keys {
            let key = keyNode.scalar?.string ?? "\(keyNode)"
            if !allowed.contains(key) {
                let hint = allowed.sorted().joined(separator: ", ")
                problems.append(problem("unknown key '\(key)' (known keys: \(hint))", field: child(key)))
            }
        }
    }

    /// A required child, recording "missing" when absent.
    public func required(_ key: String, _ problems: inout [ConfigProblem]) -> ConfigNode? {
        if let value = self[key] { return value }
        problems.append(problem("required key '\(key)' is missing", field: child(key)))
        return nil
    }
}
