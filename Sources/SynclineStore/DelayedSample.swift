public import GRDB
public import SynclineRecords

/// A delayed record kept in the ledger, so an engineer can export the latest ones with source and
/// ingest timestamps side by side.
public struct DelayedSample: Codable, Sendable, Equatable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "delayed_samples"

    public var id: Int64?
    public var connector: String
    public var eventID: String
    public var sourceTopic: String
    public var sourcePartition: Int
    public var sourceOffset: Int64
    public var outputTopic: String
    public var sourceMs: Int64
    public var brokerMs: Int64
    public var consumeMs: Int64
    public var ackMs: Int64
    public var delayMs: Int64
    public var attribution: String
    public var mappingVersion: String

    enum CodingKeys: String, CodingKey {
        case id, connector, attribution
        case eventID = "event_id"
        case sourceTopic = "source_topic"
        case sourcePartition = "source_partition"
        case sourceOffset = "source_offset"
        case outputTopic = "output_topic"
        case sourceMs = "source_ms"
        case brokerMs = "broker_ms"
        case consumeMs = "consume_ms"
        case ackMs = "ack_ms"
        case delayMs = "delay_ms"
        case mappingVersion = "mapping_version"
    }

    /// A sample from its fields (also what `init(_:)` fills from a delayed record).
    public init(
        connector: String, eventID: String, sourceTopic: String, sourcePartition: Int, sourceOffset: Int64, outputTopic: String,
        sourceMs: Int64, brokerMs: Int64, consumeMs: Int64, ackMs: Int64, delayMs: Int64, attribution: String, mappingVersion: String
    ) {
        id = nil
        self.connector = connector
        self.eventID = eventID
        self.sourceTopic = sourceTopic
        self.sourcePartition = sourcePartition
        self.sourceOffset = sourceOffset
        self.outputTopic = outputTopic
        self.sourceMs = sourceMs
        self.brokerMs = brokerMs
        self.consumeMs = consumeMs
        self.ackMs = ackMs
        self.delayMs = delayMs
        self.attribution = attribution
        self.mappingVersion = mappingVersion
    }

    /// The sample the ledger writes for a record delivered later than its SLO.
    public init(_ record: DelayedRecord) {
        let o = record.observation
        self.init(
            connector: record.connector, eventID: record.eventID, sourceTopic: record.sourceTopic,
            sourcePartition: Int(record.sourcePartition), sourceOffset: record.sourceOffset, outputTopic: record.outputTopic,
            sourceMs: o.sourceMs, brokerMs: o.brokerMs, consumeMs: o.consumeMs, ackMs: o.ackMs, delayMs: o.delayMs,
            attribution: o.attribution.rawValue, mappingVersion: record.mappingVersion)
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
