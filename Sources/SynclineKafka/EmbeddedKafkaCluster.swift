public import Logging

/// The embedded Kafka cluster: librdkafka's mock brokers speaking the real Kafka protocol on
/// loopback, for local development and tests, with the mock's fault injection exposed.
/// Limits (librdkafka 2.0.2): at most 5 MiB kept per partition, no CreateTopics (topics are made here).
public final class EmbeddedKafkaCluster: @unchecked Sendable {
    private let mock: RDKafkaMockCluster
    public let brokerCount: Int

    /// Kafka protocol API keys for `failNextRequests`.
    public enum APIKey: Int16, Sendable {
        case produce = 0, fetch = 1, listOffsets = 2, metadata = 3, offsetCommit = 8, offsetFetch = 9
        case findCoordinator = 10, joinGroup = 11, heartbeat = 12, syncGroup = 14, initProducerID = 22
    }

    public init(brokers: Int = 3, logger: Logger = Logger(label: "syncline.embedded-kafka")) throws(KafkaError) {
        brokerCount = brokers
        mock = try RDKafkaMockCluster(brokers: brokers, logger: logger)
    }

    /// Starts a cluster from async code. The mock's start-up and every topic creation wait on its
    /// own thread; run on the cooperative pool (two threads here) that wait stalls every task.
    public static func start(brokers: Int = 3, logger: Logger = Logger(label: "syncline.embedded-kafka")) async throws -> EmbeddedKafkaCluster {
        try await BlockingThread.run(name: "embedded-kafka") { try EmbeddedKafkaCluster(brokers: brokers, logger: logger) }
    }

    /// `host:port,…` of the brokers.
    public var bootstrapServers: String { mock.bootstrapServers }

    public func createTopic(_ name: String, partitions: Int, replicationFactor: Int = 1) throws(KafkaError) {
        try mock.createTopic(name, partitions: partitions, replicationFactor: min(replicationFactor, brokerCount))
    }

    /// Creates every declared topic with its partition count.
    public func createTopics(_ specs: [TopicRequest]) throws(KafkaError) {
        for spec in specs {
            try createTopic(spec.name, partitions: spec.partitions, replicationFactor: spec.replicationFactor)
        }
    }

    /// `createTopic` from async code, off the cooperative pool.
    public func createTopic(_ name: String, partitions: Int, replicationFactor: Int = 1) async throws {
        try await BlockingThread.run(name: "embedded-kafka") { () throws -> Void in
            try self.mock.createTopic(name, partitions: partitions, replicationFactor: min(replicationFactor, self.brokerCount))
        }
    }

    /// `createTopics` from async code, off the cooperative pool.
    public func createTopics(_ specs: [TopicRequest]) async throws {
        try await BlockingThread.run(name: "embedded-kafka") { () throws -> Void in
            for spec in specs {
                try self.mock.createTopic(spec.name, partitions: spec.partitions, replicationFactor: min(spec.replicationFactor, self.brokerCount))
            }
        }
    }

    /// Takes broker `id` (1-based) down: its connections close and it accepts none until brought up.
    public func setBrokerDown(_ id: Int32) { mock.setBroker(id, up: false) }
    public func setBrokerUp(_ id: Int32) { mock.setBroker(id, up: true) }

    /// Adds round-trip time to every request broker `id` answers.
    public func setRoundTripTime(broker id: Int32, milliseconds: Int32) {
        mock.setRoundTripTime(broker: id, milliseconds: milliseconds)
    }

    /// Makes the next requests of one kind fail with these errors, in order (e.g. `NOT_LEADER_FOR_PARTITION`).
    public func failNextRequests(_ apiKey: APIKey, with errorNames: [String]) throws(KafkaError) {
        try mock.pushRequestErrors(apiKey: apiKey.rawValue, errorNames: errorNames)
    }

    public func clearRequestErrors(_ apiKey: APIKey) { mock.clearRequestErrors(apiKey: apiKey.rawValue) }

    /// Sets the error metadata requests report for a topic (nil clears it).
    public func setTopicError(_ topic: String, errorName: String?) throws(KafkaError) {
        try mock.setTopicError(topic, errorName: errorName)
    }

    public func setPartitionLeader(topic: String, partition: Int32, broker: Int32) {
        mock.setPartitionLeader(topic: topic, partition: partition, broker: broker)
    }

    /// Makes broker `id` the coordinator of a consumer group.
    public func setGroupCoordinator(group: String, broker: Int32) {
        mock.setGroupCoordinator(group: group, broker: broker)
    }

    deinit { mock.destroy() }
}
