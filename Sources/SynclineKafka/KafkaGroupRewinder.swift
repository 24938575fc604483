public import Logging
import Foundation
import Synchronization

/// Moves a consumer group's committed offsets (`syncline resync`). librdkafka 2.0.2's mock cluster
/// answers neither ListGroups nor DescribeGroups, and refuses a commit from outside the group once
/// the group exists, so the rewinder joins the group itself: when the coordinator gives it every
/// partition of the topics, no one else is a member and it commits the new offsets as the group's only
/// member, reads them back, and leaves; when others hold partitions, it leaves without committing.
/// Blocking: call through `BlockingThread`.
public struct KafkaGroupRewinder: Sendable {
    /// What `rewind` did.
    public enum Outcome: Sendable, Equatable {
        /// Committed, and read back from the coordinator.
        case rewound([TopicPartition])
        /// Other members hold partitions (or the join did not finish): nothing was committed.
        case groupActive(assigned: Int, of: Int)
    }

    public let config: KafkaConfig
    public let logger: Logger

    public init(config: KafkaConfig, logger: Logger) {
        self.config = config
        self.logger = logger
    }

    /// The group's committed offsets for these partitions (offset nil where nothing is committed),
    /// read without joining the group.
    public func committed(group: String, partitions: [TopicPartition]) throws(KafkaError) -> [TopicPartition] {
        let consumer = try KafkaConsumer(config: config, groupID: group, logger: logger)
        defer { consumer.close() }
        return try consumer.committed(partitions.map { TopicPartition(topic: $0.topic, partition: $0.partition) })
    }

    /// Joins `group` on `topics` and, when it is the only member, commits `offsets` (one per partition
    /// of the topics); `joinTimeout` bounds the wait for an assignment (the mock's first join takes ~3 s).
    public func rewind(group: String, topics: [String], to offsets: [TopicPartition], joinTimeout: Duration = .seconds(30)) throws(KafkaError) -> Outcome {
        let assigned = Mutex<Set<TopicPartition>?>(nil)
        let consumer = try KafkaConsumer(config: config, groupID: group, logger: logger) { event in
            switch event {
            case .assigned(let partitions):
                assigned.withLock { $0 = Set(partitions.map { TopicPartition(topic: $0.topic, partition: $0.partition) }) }
            case .revoked:
                assigned.withLock { $0 = [] }
            }
            // Nothing is consumed: the partitions are held paused until the commit is done.
            return .assignPaused
        }
        defer { consumer.close() }
        try consumer.subscribe(topics)
        let wanted = Set(offsets.map { TopicPartition(topic: $0.topic, partition: $0.partition) })
        let deadline = ContinuousClock.now + joinTimeout
        var held: Set<TopicPartition> = []
        while ContinuousClock.now < deadline {
            _ = consumer.poll(maxRecords: 100, timeoutMs: 100)
            if let current = assigned.withLock({ $0 }) {
                held = current
                // A partial first assignment is final for this generation: others hold the rest.
                if !current.isEmpty || held == wanted { break }
            }
        }
        guard held == wanted else { return .groupActive(assigned: held.count, of: wanted.count) }
        try consumer.commit(offsets, synchronous: true)
        return .rewound(try consumer.committed(Array(wanted).sorted { ($0.topic, $0.partition) < ($1.topic, $1.partition) }))
    }
}
