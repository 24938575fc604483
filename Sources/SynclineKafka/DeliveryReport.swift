/// The brokers' answer for one produced record: where it landed, or why it could not be delivered.
public struct DeliveryReport: Sendable {
    /// The caller's token passed to `produce` (identifies the record).
    public var token: UInt64
    public var topic: String
    public var partition: Int32
    public var offset: Int64
    public var error: KafkaError?

    public init(token: UInt64, topic: String, partition: Int32, offset: Int64, error: KafkaError?) {
        self.token = token
        self.topic = topic
        self.partition = partition
        self.offset = offset
        self.error = error
    }
}
