/// A record that went to the DLQ, as the ledger's DLQ index and the metrics see it.
public struct DeadLetterNotice: Sendable, Equatable {
    public var connector: String
    public var rejection: Rejection
    public var sourceTopic: String
    public var sourcePartition: Int32
    public var sourceOffset: Int64
    public var dlqTopic: String
    public var dlqPartition: Int32
    public var dlqOffset: Int64
    public var mappingVersion: String
    public var eventID: String?
    public var failedAtMs: Int64

    public init(
        connector: String, rejection: Rejection, sourceTopic: String, sourcePartition: Int32, sourceOffset: Int64,
        dlqTopic: String, dlqPartition: Int32, dlqOffset: Int64, mappingVersion: String, eventID: String?, failedAtMs: Int64
    ) {
        self.connector = connector
        self.rejection = rejection
        self.sourceTopic = sourceTopic
        self.sourcePartition = sourcePartition
        self.sourceOffset = sourceOffset
        self.dlqTopic = dlqTopic
        self.dlqPartition = dlqPartition
        self.dlqOffset = dlqOffset
        self.mappingVersion = mappingVersion
        self.eventID = eventID
        self.failedAtMs = failedAtMs
    }
}
