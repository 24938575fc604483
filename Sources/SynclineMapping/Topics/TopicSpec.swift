/// A topic as declared in `topics/<name>.yaml`: partitions, config, key, format and (for canonical
/// topics) the schema every record must satisfy.
public struct TopicSpec: Sendable, Equatable {
    public enum Kind: String, Sendable { case raw, canonical, hub }

    public var name: String
    public var description: String
    public var partitions: Int
    public var replicationFactor: Int
    /// Kafka topic configuration, in file order.
    public var config: [(key: String, value: String)]
    public var key: String?
    public var format: PayloadFormat
    /// Fields in file order; nil for raw topics, which carry the upstream's native format.
    public var schema: [FieldSchema]?
    /// The file it was loaded from (for messages).
    public var file: String
    /// `naming: external`: a topic the project does not own, whose name follows none of the
    /// project's families (`salesforce-leads`, `erp.orders`); connectors may still name it.
    public var isExternal = false

    public init(
        name: String, description: String = "", partitions: Int, replicationFactor: Int = 1,
        config: [(key: String, value: String)] = [], key: String? = nil, format: PayloadFormat = .json,
        schema: [FieldSchema]? = nil, file: String = ""
    ) {
        self.name = name
        self.description = description
        self.partitions = partitions
        self.replicationFactor = replicationFactor
        self.config = config
        self.key = key
        self.format = format
        self.schema = schema
        self.file = file
    }

    public var kind: Kind? { TopicSpec.kind(of: name) }

    public func field(_ name: String) -> FieldSchema? { schema?.first { $0.name == name } }

    /// Which naming family a topic name belongs to: `raw.<system>.<entity>.v<N>`,
    /// `crm.<entity>.v<N>` or `hub.<purpose>[.<connector>].v<N>`; nil when it follows none.
    public static func kind(of name: String) -> Kind? {
        let parts = name.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard let version = parts.last, version.count >= 2, version.first == "v",
            version.dropFirst().allSatisfy(\.isASCIIDigit)
        else { return nil }
        let middle = parts.dropFirst().dropLast()
        guard middle.allSatisfy({ NameRules.isTopicSegment($0) }) else { return nil }
        switch parts.first {
        case "raw" where middle.count == 2: return .raw
        case "crm" where middle.count == 1: return .canonical
        case "hub" where middle.count == 1 || middle.count == 2: return .hub
        default: return nil
        }
    }

    public static func == (lhs: TopicSpec, rhs: TopicSpec) -> Bool {
        lhs.name == rhs.name && lhs.description == rhs.description && lhs.partitions == rhs.partitions
            && lhs.replicationFactor == rhs.replicationFactor
            && lhs.config.map(\.key) == rhs.config.map(\.key) && lhs.config.map(\.value) == rhs.config.map(\.value)
            && lhs.key == rhs.key && lhs.format == rhs.format && lhs.schema == rhs.schema && lhs.file == rhs.file
            && lhs.isExternal == rhs.isExternal
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
