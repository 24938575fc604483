public import GRDB
public import SynclineRecords

/// The ledger's index of one DLQ record: why it was rejected and where both the input and its
/// DLQ copy are, so `dlq list` can answer without reading the topic.
public struct DeadLetterEntry: Codable, Sendable, Equatable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "dead_letters"

    public var id: Int64?
    public var connector: String
    public var stage: String
    public var code: String
    public var field: String?
    public var rule: String?
    public var message: String
    public var sourceTopic: String
    public var sourcePartition: Int
    public var sourceOffset: Int64
    public var dlqTopic: String
    public var dlqPartition: Int
    public var dlqOffset: Int64
    public var mappingVersion: String
    public var eventID: String?
    public var failedAtMs: Int64

    enum CodingKeys: String, CodingKey {
        case id, connector, stage, code, field, rule, message
        case sourceTopic = "source_topic"
        case sourcePartition = "source_partition"
        case sourceOffset = "source_offset"
        case dlqTopic = "dlq_topic"
        case dlqPartition = "dlq_partition"
        case dlqOffset = "dlq_offset"
        case mappingVersion = "mapping_version"
        case eventID = "event_id"
        case failedAtMs = "failed_at_ms"
    }

    /// An entry from its fields (also what `init(_:)` fills from a ledger notice).
    public init(
        connector: String, stage: String, code: String, field: String? = nil, rule: String? = nil, message: String,
        sourceTopic: String, sourcePartition: Int, sourceOffset: Int64, dlqTopic: String, dlqPartition: Int, dlqOffset: Int64,
        mappingVersion: String, eventID: String? = nil, failedAtMs: Int64
    ) {
        id = nil
        self.connector = connector
        self.stage = stage
        self.code = code
        self.field = field
        self.rule = rule
        self.message = message
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

    /// The entry the ledger writes for an acknowledged DLQ record.
    public init(_ notice: DeadLetterNotice) {
        let rejection = notice.rejection
        self.init(
            connector: notice.connector, stage: rejection.stage.rawValue, code: rejection.code, field: rejection.field,
            rule: rejection.rule, message: rejection.message, sourceTopic: notice.sourceTopic,
            sourcePartition: Int(notice.sourcePartition), sourceOffset: notice.sourceOffset, dlqTopic: notice.dlqTopic,
            dlqPartition: Int(notice.dlqPartition), dlqOffset: notice.dlqOffset, mappingVersion: notice.mappingVersion,
            eventID: notice.eventID, failedAtMs: notice.failedAtMs)
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }

    /// Inserts one DLQ index row per notice through one cached statement: the ledger's path, where
    /// rejections arrive by the thousand and the `Codable` insert (a container per row) cost ~30 µs each.
    /// Each row is `init(_:)`'s entry, so a notice maps to its columns in one place.
    static func insertAll(_ notices: [DeadLetterNotice], _ db: Database) throws {
        let statement = try db.cachedStatement(sql: """
            INSERT INTO dead_letters (connector, stage, code, field, rule, message, source_topic, source_partition,
              source_offset, dlq_topic, dlq_partition, dlq_offset, mapping_version, event_id, failed_at_ms)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for notice in notices {
            let row = DeadLetterEntry(notice)
            try statement.execute(arguments: [
                row.connector, row.stage, row.code, row.field, row.rule, row.message, row.sourceTopic, row.sourcePartition,
                row.sourceOffset, row.dlqTopic, row.dlqPartition, row.dlqOffset, row.mappingVersion, row.eventID, row.failedAtMs,
            ])
        }
    }
}
