public import SynclineMapping

/// Input the broker deleted before the connector read it (retention, the embedded cluster's
/// 5 MiB cap): one partition's run of offsets, reported as an `input_expired` alert on
/// hub.alerts.v1, counted, and logged — "nothing lost" includes what the broker lost first.
public struct InputExpiredAlert: Sendable, Equatable {
    public var connector: String
    public var topic: String
    public var partition: Int32
    public var firstOffset: Int64
    public var lastOffset: Int64
    public var raisedAtMs: Int64

    public init(connector: String, topic: String, partition: Int32, firstOffset: Int64, lastOffset: Int64, raisedAtMs: Int64) {
        self.connector = connector
        self.topic = topic
        self.partition = partition
        self.firstOffset = firstOffset
        self.lastOffset = lastOffset
        self.raisedAtMs = raisedAtMs
    }

    public var count: Int64 { lastOffset - firstOffset + 1 }

    /// Stable per run of offsets, so a redelivered alert is recognisable as the same one.
    public var alertID: String { "input_expired-\(topic)-\(partition)-\(firstOffset)" }

    public var message: String {
        "\(count) records of \(topic) partition \(partition) (offsets \(firstOffset)–\(lastOffset)) were deleted by the broker "
            + "before connector \(connector) read them; they cannot be recovered from Kafka — re-publish them from the upstream system."
    }

    /// The hub.alerts.v1 record.
    public var record: OutputRecord {
        let members: [(String, JSONValue)] = [
            ("alert_id", .string(alertID)),
            ("kind", .string("input_expired")),
            ("severity", .string("critical")),
            ("connector", .string(connector)),
            ("message", .string(message)),
            ("raised_at", .string(UTCTimestamp.format(ms: raisedAtMs))),
            ("source_topic", .string(topic)),
            ("source_partition", .number(String(partition))),
            ("first_offset", .number(String(firstOffset))),
            ("last_offset", .number(String(lastOffset))),
            ("record_count", .number(String(count))),
        ]
        return HubAlertRecord.make(alertID: alertID, kind: "input_expired", connector: connector, raisedAtMs: raisedAtMs, members: members)
    }
}
