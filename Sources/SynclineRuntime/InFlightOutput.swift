import SynclineCore

/// One produced record awaiting its delivery report, with what is needed to retry it or, if the
/// brokers refuse it for good, to send its input to the DLQ instead.
struct InFlightOutput {
    enum Kind: Equatable {
        case output, deadLetter, latencyObservation
        /// Emitted by a `TimedEmitter` (index in `generation`), not tied to an input offset.
        case timed(id: String)
        /// Raised by the runtime itself (e.g. `input_expired`), not tied to an input offset.
        case alert
    }

    /// The input partition's slot in the runtime's `PartitionTable` (-1: not tied to an input).
    var slot: Int
    var generation: Int
    var seq: Int
    var input: InputRecord
    var output: OutputRecord
    var kind: Kind
    /// The first output of a successfully mapped input: its acknowledgement times the record.
    var primary: Bool
    var attempts: Int
    var firstFailedAtMs: Int64?
    var dueAt: ContinuousClock.Instant?
    /// When it was handed to the producer (for the breaker's slow-call judgement).
    var sentAtNanos: UInt64 = 0
    /// Timing and identity of the input, for the latency tracker and the DLQ index.
    var timing: RecordTiming
    var rejection: Rejection?

    var isDeadLetter: Bool { kind == .deadLetter }
}

/// When an input happened and was consumed, and its event id.
struct RecordTiming {
    var sourceMs: Int64?
    var sourceProblem: String?
    var consumeMs: Int64
    var eventID: String?
}

/// An input partition as the runtime keys its progress.
struct PartitionKey: Hashable {
    var topic: String
    var partition: Int32
}
