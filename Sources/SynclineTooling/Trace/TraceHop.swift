public import SynclineMapping

/// One record on a traced record's path (`syncline trace`): the raw input, a repartition copy, a
/// canonical output, a DLQ entry, an alert or a latency observation, with its time and how long
/// after the raw record it was written.
public struct TraceHop: Sendable, Equatable {
    /// What the hop is, read from its topic and headers.
    public enum Kind: String, Sendable {
        case raw, repartition, output, dlq, alert, latency, state
    }

    public var kind: Kind
    public var record: InputRecord
    /// How deep in the path: 0 for the raw record, 1 for what was made from it, and so on.
    public var depth: Int
    /// Record timestamp minus the raw record's timestamp (nil when either is unknown).
    public var delayMs: Int64?

    public init(kind: Kind, record: InputRecord, depth: Int, delayMs: Int64?) {
        self.kind = kind
        self.record = record
        self.depth = depth
        self.delayMs = delayMs
    }

    /// The header's text value, if present.
    public func header(_ name: String) -> String? { record.headers.last(named: name)?.text }
}
