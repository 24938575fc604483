public import Logging
public import SynclineMapping
public import SynclineKafka
import SynclineRuntime

/// Creates the declared topics that are missing, on the embedded cluster or a real one, and says
/// what it did for each.
public enum TopicApplier {
    /// One line of the report: the topic and what happened to it.
    public struct Result: Sendable, Equatable {
        public enum Action: String, Sendable { case created, exists, failed }
        public var topic: String
        public var action: Action
        public var detail: String
    }

    public static func apply(_ catalog: TopicCatalog, to cluster: EmbeddedKafkaCluster) -> [Result] {
        catalog.topics.map { spec in
            do {
                try cluster.createTopic(spec.name, partitions: spec.partitions, replicationFactor: spec.replicationFactor)
                return Result(topic: spec.name, action: .created, detail: "\(spec.partitions) partitions")
            } catch {
                return Result(topic: spec.name, action: .failed, detail: "\(error)")
            }
        }
    }

    /// Creates the missing topics with CreateTopics; existing topics are reported and left alone
    /// (so it is idempotent, and works on brokers without CreateTopics when nothing is missing). Blocking.
    public static func apply(_ catalog: TopicCatalog, config: KafkaConfig, logger: Logger) throws(KafkaError) -> [Result] {
        let admin = try KafkaAdmin(config: config, logger: logger)
        let existing = try admin.describeTopics()
        let missing = catalog.topics.filter { existing[$0.name] == nil }
        let outcomes = missing.isEmpty ? [:] : try admin.createTopics(missing.map(\.kafkaRequest))
        return catalog.topics.map { spec in
            if let partitions = existing[spec.name] {
                let note = partitions == spec.partitions ? "left as it is" : "left as it is (has \(partitions) partitions, declared \(spec.partitions))"
                return Result(topic: spec.name, action: .exists, detail: note)
            }
            switch outcomes[spec.name] ?? .created {
            case .created: return Result(topic: spec.name, action: .created, detail: "\(spec.partitions) partitions")
            case .alreadyExists: return Result(topic: spec.name, action: .exists, detail: "left as it is")
            case .failed(let error): return Result(topic: spec.name, action: .failed, detail: error.description)
            }
        }
    }
}
