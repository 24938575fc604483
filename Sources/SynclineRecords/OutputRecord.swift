/// A record the hub will produce: canonical output, DLQ entry, alert or latency observation.
public struct OutputRecord: Sendable, Equatable {
    public var topic: String
    public var key: [UInt8]?
    public var value: [UInt8]?
    public var headers: [RecordHeader]
    /// An explicit partition (a changelog record goes to its input's partition number, so state
    /// travels with the partition); nil lets the producer's partitioner choose by key.
    public var partition: Int32?

    public init(topic: String, key: [UInt8]?, value: [UInt8]?, headers: [RecordHeader] = [], partition: Int32? = nil) {
        self.topic = topic
        self.key = key
        self.value = value
        self.headers = headers
        self.partition = partition
    }
}
