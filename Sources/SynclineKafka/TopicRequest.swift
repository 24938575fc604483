/// A topic to create: name, partitions, replication factor and topic-level config — what
/// CreateTopics (or the embedded cluster) needs, independent of how the hub declares topics.
public struct TopicRequest: Sendable {
    public var name: String
    public var partitions: Int
    public var replicationFactor: Int
    /// Topic-level settings, in declaration order.
    public var config: [(key: String, value: String)]

    public init(name: String, partitions: Int, replicationFactor: Int = 1, config: [(key: String, value: String)] = []) {
        self.name = name
        self.partitions = partitions
        self.replicationFactor = replicationFactor
        self.config = config
    }
}
