public import SynclineMapping

/// What the ingress routes need from the hub: durable publishing and metrics. The hub implements
/// it with a Kafka producer; the routes only speak HTTP and verification.
public protocol IngressSink: Sendable {
    /// Publishes one record and returns only once the brokers acknowledged it; throws when they did
    /// not within `timeoutMs` (the record is then not stored: nothing is half-published).
    func publish(_ record: OutputRecord, timeoutMs: Int) async throws -> IngressReceipt
    /// Adds to a counter of `MetricNames`.
    func count(_ metric: String, _ labels: [String: String])
}

/// Where an acknowledged ingress record landed.
public struct IngressReceipt: Sendable, Equatable {
    public var topic: String
    public var partition: Int32
    public var offset: Int64

    public init(topic: String, partition: Int32, offset: Int64) {
        self.topic = topic
        self.partition = partition
        self.offset = offset
    }
}
