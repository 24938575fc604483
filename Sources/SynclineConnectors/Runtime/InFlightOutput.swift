import SynclineCore

/// One produced record awaiting its delivery report, with what is needed to retry it or, if the
/// brokers refuse it for good, to send its input to the DLQ instead.
struct InFlightOutput {
    var partitionKey: PartitionKey
    var generation: Int
    var seq: Int
    var input: InputRecord
    var output: OutputRecord
    var isDeadLetter: Bool
    var attempts: Int
    var firstFailedAtMs: Int64?
    var dueAt: ContinuousClock.Instant?
}

/// An input partition as the runtime keys its progress.
struct PartitionKey: Hashable {
    var topic: String
    var partition: Int32
}
