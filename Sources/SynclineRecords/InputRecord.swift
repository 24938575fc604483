/// A record consumed from Kafka, with its coordinates, exactly as the broker delivered it.
///
/// The bytes are never modified: a rejected record goes to the DLQ with `value` unchanged.
public struct InputRecord: Sendable, Equatable {
    public var topic: String
    public var partition: Int32
    public var offset: Int64
    public var key: [UInt8]?
    public var value: [UInt8]?
    public var headers: [RecordHeader]
    /// The broker/producer timestamp in milliseconds since the epoch (Kafka record timestamp), if any.
    public var timestampMs: Int64?

    public init(
        topic: String, partition: Int32, offset: Int64,
        key: [UInt8]?, value: [UInt8]?, headers: [RecordHeader] = [], timestampMs: Int64? = nil
    ) {
        self.topic = topic
        self.partition = partition
        self.offset = offset
        self.key = key
        self.value = value
        self.headers = headers
        self.timestampMs = timestampMs
    }

    /// `topic[partition]@offset`, the way error messages name a record.
    public var coordinates: String { "\(topic)[\(partition)]@\(offset)" }
}
