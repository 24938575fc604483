public import Logging

/// Creates and describes topics on a real Kafka cluster (CreateTopics, Metadata).
public final class KafkaAdmin: @unchecked Sendable {
    /// What `createTopics` did for one topic.
    public enum Outcome: Sendable, Equatable {
        case created
        case alreadyExists
        case failed(KafkaError)
    }

    private let core: RDKafkaAdminCore

    public init(config: KafkaConfig, logger: Logger) throws(KafkaError) {
        core = try RDKafkaAdminCore(config: config, logger: logger)
    }

    /// Creates the topics that do not exist yet; existing ones are left as they are (idempotent).
    public func createTopics(_ specs: [TopicRequest], timeoutMs: Int32 = 15_000) throws(KafkaError) -> [String: Outcome] {
        let requests = specs.map { spec in
            (name: spec.name, partitions: spec.partitions, replicationFactor: spec.replicationFactor,
             config: spec.config.map { ($0.key, $0.value) })
        }
        let results = try core.createTopics(requests, timeoutMs: timeoutMs)
        var outcomes: [String: Outcome] = [:]
        for spec in specs {
            switch results[spec.name] {
            case .none, .some(.none): outcomes[spec.name] = .created
            case .some(.some(let error)) where error.name == "TOPIC_ALREADY_EXISTS": outcomes[spec.name] = .alreadyExists
            case .some(.some(let error)): outcomes[spec.name] = .failed(error)
            }
        }
        return outcomes
    }

    /// Every topic on the cluster with its partition count.
    public func describeTopics(timeoutMs: Int32 = 10_000) throws(KafkaError) -> [String: Int] {
        try core.topicPartitionCounts(timeoutMs: timeoutMs)
    }

    deinit { core.destroy() }
}
