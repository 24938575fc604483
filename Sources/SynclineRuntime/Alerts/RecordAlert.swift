public import SynclineMapping

/// An alert about one input record the runtime sent to the DLQ for a reason someone must look at:
/// the hub crashed on it twice (`poison_pill`) or its value was empty or null (`payload_missing`).
/// Raised on hub.alerts.v1 beside the DLQ record, keyed by kind and coordinates, so a redelivered
/// record raises the same alert id again rather than a new one.
public struct RecordAlert: Sendable, Equatable {
    public enum Kind: String, Sendable {
        case poisonPill = "poison_pill"
        case payloadMissing = "payload_missing"
    }

    public var kind: Kind
    public var connector: String
    public var topic: String
    public var partition: Int32
    public var offset: Int64
    public var stage: ErrorStage
    public var message: String
    public var raisedAtMs: Int64

    public init(kind: Kind, connector: String, topic: String, partition: Int32, offset: Int64, stage: ErrorStage, message: String, raisedAtMs: Int64) {
        self.kind = kind
        self.connector = connector
        self.topic = topic
        self.partition = partition
        self.offset = offset
        self.stage = stage
        self.message = message
        self.raisedAtMs = raisedAtMs
    }

    public var alertID: String { "\(kind.rawValue)-\(topic)-\(partition)-\(offset)" }

    /// A poison pill is critical (the hub crashed); a missing payload a warning.
    public var severity: String { kind == .poisonPill ? "critical" : "warning" }

    /// The hub.alerts.v1 record.
    public var record: OutputRecord {
        let members: [(String, JSONValue)] = [
            ("alert_id", .string(alertID)),
            ("kind", .string(kind.rawValue)),
            ("severity", .string(severity)),
            ("connector", .string(connector)),
            ("message", .string(message)),
            ("raised_at", .string(UTCTimestamp.format(ms: raisedAtMs))),
            ("source_topic", .string(topic)),
            ("source_partition", .number(String(partition))),
            ("source_offset", .number(String(offset))),
            ("error_stage", .string(stage.rawValue)),
        ]
        return HubAlertRecord.make(alertID: alertID, kind: kind.rawValue, connector: connector, raisedAtMs: raisedAtMs, members: members)
    }
}
