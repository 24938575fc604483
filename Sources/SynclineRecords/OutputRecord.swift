/// A record the hub will produce: canonical output, DLQ entry, alert or latency observation.
public struct OutputRecord: Sendable, Equatable {
    public var topic: String
    public var key: [UInt8]?
    public var value: [UInt8]?
    public var headers: [RecordHeader]

    public init(topic: String, key: [UInt8]?, value: [UInt8]?, headers: [RecordHeader] = []) {
        self.topic = topic
        self.key = key
        self.value = value
        self.headers = headers
    }
}
