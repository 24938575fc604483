public import ServiceLifecycle
public import SynclineKafka

/// Keeps the embedded Kafka cluster alive for the life of the hub; it is listed first in the
/// `ServiceGroup`, so it shuts down last, after every connector has drained and committed.
public struct EmbeddedClusterService: Service {
    public let cluster: EmbeddedKafkaCluster

    public init(cluster: EmbeddedKafkaCluster) {
        self.cluster = cluster
    }

    public func run() async throws {
        try? await gracefulShutdown()
        withExtendedLifetime(cluster) {}
    }
}
