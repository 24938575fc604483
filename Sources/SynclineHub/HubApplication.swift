public import Logging
public import ServiceLifecycle
import SynclineAdmin
public import SynclineConnectors
public import SynclineCore
public import SynclineKafka
public import SynclineStore
public import UnixSignals
import Foundation

/// The runnable hub: the embedded cluster (when used), the ledger, the admin server and every
/// connector, in one `ServiceGroup` that owns start-up and graceful shutdown (connectors stop
/// first and commit; then the admin server, the ledger and the cluster).
public struct HubApplication: Sendable {
    public let serviceGroup: ServiceGroup
    public let bootstrapServers: String
    public let cluster: EmbeddedKafkaCluster?
    public let runtimes: [ConnectorRuntime]
    public let catalog: TopicCatalog
    public let topicResults: [TopicApplier.Result]
    public let kafkaConfig: KafkaConfig
    public let metrics: HubMetrics
    public let ledger: Ledger
    public let backend: HubAdminBackend

    public func run() async throws { try await serviceGroup.run() }
    public func shutdown() async { await serviceGroup.triggerGracefulShutdown() }
}

/// Builds the hub: loads and checks topics and connectors (refusing to start on any problem),
/// opens the ledger, starts the embedded cluster when no brokers are given, applies topics, and
/// wires connectors, metrics and the admin server. `onAdminListening` receives `http://host:port`.
public func buildApplication(
    _ options: HubOptions, logger: Logger = Logger(label: "syncline"), signals: [UnixSignal] = [],
    onAdminListening: @escaping @Sendable (String) async -> Void = { _ in }
) async throws -> HubApplication {
    let catalog = try TopicCatalog.load(directory: options.topicsDirectory)
    let specs = try ConnectorSpecParser.loadAll(directory: options.connectorsDirectory)
    var pipelines: [(ConnectorSpec, RecordPipeline)] = []
    var problems: [ConfigProblem] = []
    for spec in specs {
        do throws(ConfigProblems) {
            pipelines.append((spec, try PipelineBuilder.build(spec, catalog: catalog)))
        } catch {
            problems += error.problems
        }
        for topic in spec.inputTopics + spec.outputTopics where catalog[topic] == nil {
            problems.append(ConfigProblem(
                file: spec.file, field: "", message: "topic \(topic) is not declared in topics/", connector: spec.name))
        }
    }
    if !problems.isEmpty { throw ConfigProblems(problems) }

    try FileManager.default.createDirectory(at: options.stateDirectory, withIntermediateDirectories: true)
    let ledger = try Ledger(path: Ledger.path(inStateDirectory: options.stateDirectory))
    let metrics = HubMetrics()
    let ledgerWriter = LedgerWriter(ledger: ledger) { [metrics] error in
        metrics.increment(MetricNames.ledgerWriteErrors, [:])
        logger.error("ledger write failed; delivery continues without it: \(error)")
    }
    let nowMs = Int64(Date().timeIntervalSince1970 * 1000)
    for (spec, _) in pipelines {
        try ledger.recordMappingDeployed(
            connector: spec.name, version: spec.mappingVersion, file: spec.file, content: spec.content, atMs: nowMs)
        metrics.prepare(connector: spec)
    }
    metrics.increment(MetricNames.ledgerWriteErrors, [:], by: 0)

    var services: [ServiceGroupConfiguration.ServiceConfiguration] = []
    let cluster: EmbeddedKafkaCluster?
    let bootstrap: String
    let topicResults: [TopicApplier.Result]
    let environment = KafkaConfig.environmentProperties(ProcessInfo.processInfo.environment)
    if let brokers = options.brokers {
        cluster = nil
        bootstrap = brokers
        let config = KafkaConfig(bootstrapServers: brokers, properties: environment.merging(options.kafkaProperties) { $1 })
        topicResults = try await BlockingThread.run { try TopicApplier.apply(catalog, config: config, logger: logger) }
    } else {
        let embedded = try EmbeddedKafkaCluster(brokers: options.embeddedBrokers)
        cluster = embedded
        bootstrap = embedded.bootstrapServers
        topicResults = TopicApplier.apply(catalog, to: embedded)
        services.append(.init(service: EmbeddedClusterService(cluster: embedded)))
    }
    services.append(.init(service: LedgerService(writer: ledgerWriter, ledger: ledger, retentionMs: options.ledgerRetentionMs, logger: logger)))

    let kafka = KafkaConfig(bootstrapServers: bootstrap, properties: environment.merging(options.kafkaProperties) { $1 })
    let observer = FanOutObserver([metrics, ledgerWriter])
    var runtimes: [ConnectorRuntime] = []
    for (spec, pipeline) in pipelines {
        let runtime = ConnectorRuntime(
            spec: spec, pipeline: pipeline,
            options: .init(kafka: kafka, groupID: "\(options.groupPrefix).\(spec.name)", observer: observer), logger: logger)
        runtimes.append(runtime)
    }
    let backend = HubAdminBackend(runtimes: runtimes, metrics: metrics, ledger: ledger)
    if let admin = options.admin {
        let server = try AdminServer.make(backend: backend, settings: admin, logger: logger, onListening: onAdminListening)
        services.append(.init(service: server))
    }
    for runtime in runtimes {
        services.append(.init(service: ConnectorService(runtime: runtime)))
    }
    let group = ServiceGroup(configuration: .init(services: services, gracefulShutdownSignals: signals, logger: logger))
    return HubApplication(
        serviceGroup: group, bootstrapServers: bootstrap, cluster: cluster, runtimes: runtimes, catalog: catalog,
        topicResults: topicResults, kafkaConfig: kafka, metrics: metrics, ledger: ledger, backend: backend)
}
