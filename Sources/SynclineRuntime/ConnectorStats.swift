import Synchronization

/// Live counters of one connector, written by its runtime thread and read by anyone
/// (CLI summary, status, metrics).
public final class ConnectorStats: Sendable {
    /// Input records consumed.
    let consumed = Atomic<Int>(0)
    /// Input records fully handled (all outputs acknowledged).
    let handled = Atomic<Int>(0)
    /// Canonical/output records acknowledged by the brokers.
    let produced = Atomic<Int>(0)
    /// Input records whose DLQ record was acknowledged.
    let deadLettered = Atomic<Int>(0)
    /// Delivery attempts retried after a transient failure.
    let retries = Atomic<Int>(0)
    /// Input records covered by offsets the group coordinator confirmed.
    let committed = Atomic<Int>(0)
    /// Offset commits the coordinator refused (each is sent again).
    let commitFailures = Atomic<Int>(0)
    /// Input records the broker deleted before they were read (`input_expired`).
    let expired = Atomic<Int>(0)
    /// Records of revoked partitions that a poll still returned, dropped uncommitted.
    let revokedDropped = Atomic<Int>(0)
    /// Outputs awaiting acknowledgement right now.
    let inFlight = Atomic<Int>(0)
    /// Consumer lag summed over assigned partitions, and the largest lag age in milliseconds.
    let lagRecords = Atomic<Int>(0)
    let lagMillis = Atomic<Int>(0)

    /// Field completeness totals since start: field → (seen, empty).
    let fields = Mutex<[String: (seen: Int, empty: Int)]>([:])

    public init() {}

    /// Share of records whose canonical field was empty, by field (since start).
    public var fieldEmptyRates: [String: Double] {
        fields.withLock { table in
            table.mapValues { $0.seen == 0 ? 0 : Double($0.empty) / Double($0.seen) }
        }
    }

    public var snapshot: Snapshot {
        Snapshot(
            consumed: consumed.load(ordering: .relaxed), handled: handled.load(ordering: .relaxed),
            produced: produced.load(ordering: .relaxed), deadLettered: deadLettered.load(ordering: .relaxed),
            retries: retries.load(ordering: .relaxed), committed: committed.load(ordering: .relaxed),
            inFlight: inFlight.load(ordering: .relaxed), lagRecords: lagRecords.load(ordering: .relaxed),
            lagMillis: lagMillis.load(ordering: .relaxed), commitFailures: commitFailures.load(ordering: .relaxed),
            expired: expired.load(ordering: .relaxed), revokedDropped: revokedDropped.load(ordering: .relaxed))
    }

    /// A copy of the counters at one moment.
    public struct Snapshot: Sendable, Equatable, Codable {
        public var consumed: Int
        public var handled: Int
        public var produced: Int
        public var deadLettered: Int
        public var retries: Int
        public var committed: Int
        public var inFlight: Int
        public var lagRecords: Int
        public var lagMillis: Int
        public var commitFailures: Int
        public var expired: Int
        public var revokedDropped: Int
    }
}
