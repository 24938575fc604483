/// A consumer-group rebalance, handed to the runtime before librdkafka applies it, so revoked
/// partitions can be drained and committed before they are given up.
public enum RebalanceEvent: Sendable, Equatable {
    case assigned([TopicPartition])
    case revoked([TopicPartition])
}
