public import Logging
public import SynclineKafka
public import SynclineMapping
public import SynclineStore

/// What a processor is handed to build one connector's parts: the stores its stages keep state
/// in, the topic catalog, a logger naming the connector, the hub's counters, a customer linker
/// using the connector's `defaults.phone_region`, and — under `syncline up` — the Kafka cluster
/// that keeps its state (`changelog`), restores it and re-keys its input.
public struct ProcessorContext: Sendable {
    public let identity: IdentityIndex
    public let activities: ActivityStore
    public let catalog: TopicCatalog?
    public let logger: Logger
    public let counters: (any CounterSink)?
    /// Set when the processor's state follows its partitions through Kafka; nil keeps it local.
    public let kafka: KafkaConfig?
    public let linker: CustomerLinker
    /// `hub.state.<connector>.v1` when `kafka` is set.
    public let changelog: String?

    public init(
        spec: ConnectorSpec, identity: IdentityIndex, activities: ActivityStore, catalog: TopicCatalog?, logger: Logger,
        counters: (any CounterSink)?, kafka: KafkaConfig?
    ) {
        var logger = logger
        logger[metadataKey: "connector"] = "\(spec.name)"
        self.identity = identity
        self.activities = activities
        self.catalog = catalog
        self.logger = logger
        self.counters = counters
        self.kafka = kafka
        linker = CustomerLinker(index: identity, phoneRegion: spec.defaults.phoneRegion, logger: logger)
        changelog = kafka.map { _ in TopicNames.state(connector: spec.name) }
    }
}
