/// A consumer-group rebalance, handed to the runtime before librdkafka applies it, so revoked
/// partitions can be drained and committed before they are given up.
public enum RebalanceEvent: Sendable, Equatable {
    case assigned([TopicPartition])
    case revoked([TopicPartition])
}

/// What the consumer should do with newly assigned partitions.
public enum AssignmentDecision: Sendable, Equatable {
    case consume
    /// Assign them paused (the runtime is paused by an operator, a breaker or back-pressure).
    case assignPaused
}
