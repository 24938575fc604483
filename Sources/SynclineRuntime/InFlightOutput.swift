import SynclineMapping

/// One produced record awaiting its delivery report, with what is needed to retry it or, if the
/// brokers refuse it for good, to send its input to the DLQ instead. A class: it moves from the
/// emit step to the in-flight slab to the delivery handler, and copying a struct of a dozen
/// references at each step cost more (retains, releases, outlined copies) than one allocation.
/// Owned by one place at a time (the runtime's loop thread); `copy()` makes a second one.
final class InFlightOutput {
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

    init(
        slot: Int, generation: Int, seq: Int, input: InputRecord, output: OutputRecord, kind: Kind, primary: Bool,
        attempts: Int, firstFailedAtMs: Int64? = nil, dueAt: ContinuousClock.Instant? = nil, timing: RecordTiming,
        rejection: Rejection? = nil
    ) {
        self.slot = slot
        self.generation = generation
        self.seq = seq
        self.input = input
        self.output = output
        self.kind = kind
        self.primary = primary
        self.attempts = attempts
        self.firstFailedAtMs = firstFailedAtMs
        self.dueAt = dueAt
        self.timing = timing
        self.rejection = rejection
    }

    /// A second, independent entry with the same contents (e.g. the latency observation of an output).
    func copy() -> InFlightOutput {
        let twin = InFlightOutput(
            slot: slot, generation: generation, seq: seq, input: input, output: output, kind: kind, primary: primary,
            attempts: attempts, firstFailedAtMs: firstFailedAtMs, dueAt: dueAt, timing: timing, rejection: rejection)
        twin.sentAtNanos = sentAtNanos
        return twin
    }

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
