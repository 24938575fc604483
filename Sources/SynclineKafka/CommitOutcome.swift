/// The group coordinator's answer for one partition of an offset commit: the offset it was asked
/// to store and, if it refused, why. Only an outcome without an error is a committed offset.
public struct CommitOutcome: Sendable, Equatable {
    public var partition: TopicPartition
    public var error: KafkaError?

    public init(partition: TopicPartition, error: KafkaError?) {
        self.partition = partition
        self.error = error
    }

    public var isConfirmed: Bool { error == nil && partition.offset != nil }
}
