/// What a connector does with a record whose value is null (a Kafka tombstone), declared as
/// `input.tombstones`. An empty value (zero bytes) is never a payload and always goes to the DLQ.
public enum TombstonePolicy: String, Sendable, CaseIterable, Equatable {
    /// `payload_missing` in the DLQ with the original key and headers (the default).
    case dlq
    /// Passed on to every plain route's topic as a tombstone with the same key and headers, so a
    /// delete reaches a compacted copy. Only for connectors whose routes are all plain: a mapped
    /// route has no document to take its key from.
    case forward
}
