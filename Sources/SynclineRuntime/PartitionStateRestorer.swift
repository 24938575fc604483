public import SynclineKafka

/// A stateful connector's local state cache, told by the runtime which input partitions it owns:
/// `restore` runs when partitions are assigned, before any of their records is processed (it reads
/// their changelog to its end and replaces the cache); `release` runs when they are revoked, after
/// their outputs were drained and committed. Both run on the runtime's own thread and may block.
public protocol PartitionStateRestorer: Sendable {
    /// Restores the state of `partitions`; returns what was read per partition. Throws when the
    /// changelog cannot be read (the runtime tries again: no record is processed meanwhile).
    func restore(partitions: [TopicPartition]) throws -> [PartitionRestore]
    /// Forgets the state of `partitions` (their next owner restores it from the changelog).
    func release(partitions: [TopicPartition])
}
