/// A topic and partition, with an optional offset (the next offset to read, as Kafka commits it).
public struct TopicPartition: Sendable, Hashable, CustomStringConvertible {
    public var topic: String
    public var partition: Int32
    public var offset: Int64?

    public init(topic: String, partition: Int32, offset: Int64? = nil) {
        self.topic = topic
        self.partition = partition
        self.offset = offset
    }

    public var description: String {
        if let offset { return "\(topic)[\(partition)]@\(offset)" }
        return "\(topic)[\(partition)]"
    }
}
