/// What one connector did during one turn of its loop, handed to observers (metrics, ledger) in
/// one piece so the hot path pays for one call per batch, not per record.
public struct ConnectorActivity: Sendable {
    public struct RejectionKey: Hashable, Sendable {
        public var stage: ErrorStage
        public var code: String

        public init(stage: ErrorStage, code: String) {
            self.stage = stage
            self.code = code
        }
    }

    public var connector: String
    public var atMs: Int64
    /// Input records consumed, by input topic.
    public var consumed: [String: Int] = [:]
    /// Outputs acknowledged, by output topic (DLQ records not included).
    public var produced: [String: Int] = [:]
    /// Inputs whose DLQ record was acknowledged, by stage and code.
    public var rejected: [RejectionKey: Int] = [:]
    public var deadLetters: [DeadLetterNotice] = []
    /// Every latency observation (for the histograms).
    public var observations: [LatencyObservation] = []
    public var delayed: [DelayedRecord] = []
    public var skewed = 0
    /// Records without a usable source time, by reason.
    public var unknownSource: [String: Int] = [:]
    public var retries = 0
    public var committed = 0
    /// Records parked by the rate limiter, by key (`*` for the connector's own bucket).
    public var throttled: [String: Int] = [:]
    /// Circuit breaker state changes this turn.
    public var breakerTransitions: [BreakerTransition] = []
    /// Canonical fields checked for emptiness, and how many were empty, by field name.
    public var fieldSeen: [String: Int] = [:]
    public var fieldEmpty: [String: Int] = [:]
    /// Consumer lag per assigned partition, when it was sampled this turn.
    public var lag: [PartitionLag] = []
    /// Input records the broker deleted before they were read (`input_expired`), by input topic.
    public var expired: [String: Int] = [:]
    /// Offset commits the group coordinator refused (they are sent again).
    public var commitFailures = 0
    /// Outputs the brokers refused for good that have no DLQ to go to (latency observations,
    /// timed outputs, alerts), by kind: counted and logged, not retried forever.
    public var dropped: [String: Int] = [:]
    /// Sampled records where the compiled record path and the interpreter disagreed.
    public var compiledMismatches = 0
    /// Records the hub crashed on twice, sent to the DLQ as `poison_pill`, by input topic.
    public var poisonPills: [String: Int] = [:]
    /// Producers recreated after a fatal producer error.
    public var producerRestarts = 0

    public init(connector: String, atMs: Int64) {
        self.connector = connector
        self.atMs = atMs
    }

    public var isEmpty: Bool {
        consumed.isEmpty && produced.isEmpty && rejected.isEmpty && observations.isEmpty && skewed == 0
            && unknownSource.isEmpty && retries == 0 && committed == 0 && lag.isEmpty && fieldSeen.isEmpty && throttled.isEmpty && breakerTransitions.isEmpty
            && expired.isEmpty && commitFailures == 0 && dropped.isEmpty && compiledMismatches == 0
            && poisonPills.isEmpty && producerRestarts == 0
    }
}
