public import Logging
public import ServiceLifecycle
import SynclineAdmin
import SynclineConnectors
public import SynclineRuntime
public import SynclineMapping
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
/// wires connectors, metrics, the admin server and the webhook listener. `onAdminListening` and
/// `onIngressListening` receive `http://host:port` once each listener is bound. `extraServices`
/// builds services the hub runs without knowing them (the CLI's demo traffic), from what the hub
/// has settled on; they run last, so they stop first on shutdown.
public func buildApplication(
    _ options: HubOptions, logger: Logger = Logger(label: "syncline"), signals: [UnixSignal] = [],
    onAdminListening: @escaping @Sendable (String) async -> Void = { _ in },
    extraServices: (HubContext) throws -> [any Service] = { _ in [] },
    onIngressListening: @escaping @Sendable (String) async -> Void = { _ in }
) async throws -> HubApplication {
    let catalog = try TopicCatalog.load(directory: options.topicsDirectory)
    let specs = try ConnectorSpecParser.loadAll(directory: options.connectorsDirectory)
    // Every connector's declaration and processor options are checked before anything is opened.
    let check = ConnectorAssembly.dryRun(catalog: catalog, pipelineMode: .compiled)
    var problems: [ConfigProblem] = []
    for spec in specs {
        problems += check.problems(spec)
        problems += ConnectorLinter.undeclaredTopics(spec, catalog: catalog)
    }
    if !problems.isEmpty { throw ConfigProblems(problems) }
    if let address = options.ingress {  // before anything starts
        let unverified = specs.filter { $0.ingress?.verify == IngressSpec.Verification.none }.map(\.name).sorted()
        try IngressServer.check(unverified: unverified, address: address)
    }

    // State (ledger, identity index, conversation state) is for the hub's user only, at every start.
    try StateDirectory.prepare(options.stateDirectory)
    let ledger = try Ledger(path: Ledger.path(inStateDirectory: options.stateDirectory))
    let identity = try IdentityIndex(path: IdentityIndex.path(inStateDirectory: options.stateDirectory))
    let metrics = HubMetrics()
    // Connectors are built with Kafka once it is known.
    let assembly = ConnectorAssembly(
        catalog: catalog, identity: identity,
        activities: try ActivityStore(path: ActivityStore.path(inStateDirectory: options.stateDirectory)), logger: logger,
        counters: metrics)
    // The scheduled reconciliation runs when a connector feeds finance's side (crm.finance_receipts.v1).
    let reconciliation = specs.first(where: ReconciliationSettings.isFinance).map(ReconciliationSettings.read)
    if let problems = reconciliation?.problems, !problems.isEmpty { throw ConfigProblems(problems) }
    let ledgerWriter = LedgerWriter(ledger: ledger) { [metrics] error in
        metrics.increment(MetricNames.ledgerWriteErrors, [:])
        logger.error("ledger write failed; delivery continues without it: \(error)")
    }
    let nowMs = EpochClock.nowMs()
    for spec in specs {
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
        let embedded = try await EmbeddedKafkaCluster.start(brokers: options.embeddedBrokers)
        cluster = embedded
        bootstrap = embedded.bootstrapServers
        // Blocking: each topic creation waits on the mock cluster's thread.
        topicResults = try await BlockingThread.run { TopicApplier.apply(catalog, to: embedded) }
        services.append(.init(service: EmbeddedClusterService(cluster: embedded)))
    }
    services.append(.init(service: LedgerService(writer: ledgerWriter, ledger: ledger, retentionMs: options.ledgerRetentionMs, logger: logger)))

    let kafka = KafkaConfig(bootstrapServers: bootstrap, properties: environment.merging(options.kafkaProperties) { $1 })
    let delays = DelayWindow()
    let observer = FanOutObserver([metrics, ledgerWriter, delays])
    var runtimes: [ConnectorRuntime] = []
    for spec in specs {
        for (runSpec, runParts) in try assembly.build(spec, kafka: kafka).loops {
            if runSpec.name != spec.name { metrics.prepare(connector: runSpec) }
            var runtimeOptions = ConnectorRuntime.Options(kafka: kafka, groupID: "\(options.groupPrefix).\(runSpec.name)", observer: observer)
            runtimeOptions.emitters = runParts.emitters
            runtimeOptions.restorer = runParts.restorer
            runtimeOptions.crashMarkDirectory = ConnectorRuntime.crashMarkDirectory(inStateDirectory: options.stateDirectory)
            runtimes.append(ConnectorRuntime(spec: runSpec, pipeline: runParts.pipeline, options: runtimeOptions, logger: logger))
        }
    }
    if let settings = reconciliation?.settings {
        services.append(.init(service: ReconciliationService(settings: settings, kafka: kafka, catalog: catalog, logger: logger)))
    }
    let alertTail = AlertTail(config: kafka, partitions: catalog[TopicNames.alerts]?.partitions ?? 6, logger: logger)
    let identityService = IdentityIndexService(
        index: identity, kafka: kafka, partitions: catalog[TopicNames.customers]?.partitions ?? 12, logger: logger)
    let backend = HubAdminBackend(
        runtimes: runtimes, metrics: metrics, ledger: ledger, delays: delays, alertTail: alertTail, identity: identityService,
        lineage: LineageGraphBuilder.build(catalog: catalog, specs: specs))
    // Webhook ingress on its own listener: its publisher starts before, and stops after, it.
    if let address = options.ingress {
        if let ingress = try IngressPublisher.assemble(specs: specs, kafka: kafka, metrics: metrics, logger: logger) {
            let server = try IngressServer.make(routes: ingress.routes, address: address, logger: logger, onListening: onIngressListening)
            services.append(.init(service: ingress.publisher))
            services.append(.init(service: server))
        } else {
            logger.notice("--ingress \(address) is set but no connector declares ingress:; no webhook listener started")
        }
    } else {
        let declared = specs.filter { $0.ingress != nil }.map(\.name)
        if !declared.isEmpty {
            logger.info("webhook ingress is off (no --ingress HOST:PORT); connectors with an ingress block: \(declared.joined(separator: ", "))")
        }
    }
    if let admin = options.admin {
        let server = try AdminServer.make(backend: backend, settings: admin, logger: logger, onListening: onAdminListening)
        services.append(.init(service: server))
    }
    // Before the connectors, so it stops after them.
    services.append(.init(service: identityService))
    for runtime in runtimes {
        services.append(.init(service: ConnectorService(runtime: runtime)))
    }
    // Last, so they stop first on shutdown.
    for service in try extraServices(HubContext(kafka: kafka, backend: backend, logger: logger)) {
        services.append(.init(service: service))
    }
    let group = ServiceGroup(configuration: .init(services: services, gracefulShutdownSignals: signals, logger: logger))
    return HubApplication(
        serviceGroup: group, bootstrapServers: bootstrap, cluster: cluster, runtimes: runtimes, catalog: catalog,
        topicResults: topicResults, kafkaConfig: kafka, metrics: metrics, ledger: ledger, backend: backend)
}
