public import SynclineMapping
public import SynclineKafka

extension TopicSpec {
    /// The declared topic as a CreateTopics request.
    public var kafkaRequest: TopicRequest {
        TopicRequest(name: name, partitions: partitions, replicationFactor: replicationFactor, config: config)
    }
}
