public import Logging
public import SynclineKafka

/// What `buildApplication` hands the builder of its extra services (the demo, say): what only the
/// hub knows once it has settled on a cluster and wired its connectors.
public struct HubContext: Sendable {
    /// The Kafka the hub's connectors use (the embedded cluster's, when no brokers were given).
    public let kafka: KafkaConfig
    /// The running hub as the admin server sees it: connector status, ledger, alerts.
    public let backend: HubAdminBackend
    public let logger: Logger
}
