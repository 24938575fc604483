public import Logging
public import ServiceLifecycle
public import UnixSignals
public import SynclineConnectors
public import SynclineCore
public import SynclineKafka
import Foundation

/// The runnable hub: the embedded cluster (when used), every connector, one `ServiceGroup` that
/// owns start-up and graceful shutdown. Built by `buildApplication`, run by the CLI and by tests.
public struct HubApplication: Sendable {
    public let serviceGroup: ServiceGroup
    public let bootstrapServers: String
    public let cluster: EmbeddedKafkaCluster?
    public let runtimes: [ConnectorRuntime]
    public let catalog: TopicCatalog
    public let topicResults: [TopicApplier.Result]
    public let kafkaConfig: KafkaConfig

    public func run() async throws { try await serviceGroup.run() }
    public func shutdown() async { await serviceGroup.triggerGracefulShutdown() }
}

/// Builds the hub: loads and checks topics and connectors (refusing to start on any problem),
/// starts the embedded cluster when no brokers are given, applies topics, wires the connectors.
public func buildApplication(
    _ options: HubOptions, logger: Logger = Logger(label: "syncline"), signals: [UnixSignal] = []
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
    let kafka = KafkaConfig(bootstrapServers: bootstrap, properties: environment.merging(options.kafkaProperties) { $1 })
    var runtimes: [ConnectorRuntime] = []
    for (spec, pipeline) in pipelines {
        let runtime = ConnectorRuntime(
            spec: spec, pipeline: pipeline,
            options: .init(kafka: kafka, groupID: "\(options.groupPrefix).\(spec.name)"), logger: logger)
        runtimes.append(runtime)
        services.append(.init(service: ConnectorService(runtime: runtime)))
    }
    let group = ServiceGroup(configuration: .init(services: services, gracefulShutdownSignals: signals, logger: logger))
    return HubApplication(
        serviceGroup: group, bootstrapServers: bootstrap, cluster: cluster, runtimes: runtimes, catalog: catalog,
        topicResults: topicResults, kafkaConfig: kafka)
}
