import ArgumentParser
import Foundation
import ServiceLifecycle
import SynclineConnectors
import SynclineRuntime
import SynclineMapping
import SynclineHub
import SynclineKafka
import SynclineStore

/// `syncline run`: one connector alone against a cluster, like Kafka Connect's standalone mode.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Run one connector; prints a one-line JSON summary on exit.")

    @OptionGroup var common: CommonOptions

    @Option(help: "The connector file.")
    var connector: String

    @Option(help: "Bootstrap servers.")
    var brokers: String

    @Option(help: "Consumer group (default: syncline.<connector>).")
    var group: String?

    @Option(help: "Stop after N input records are fully handled and committed.")
    var exitAfter: Int?

    /// The connector file, the topic catalog, and the connector's declared pipeline as a dry run of
    /// the assembly builds it (compiled where the routes allow) — or every problem with them.
    static func load(connector: String, root: URL) -> Result<Loaded, ConfigProblems> {
        do throws(ConfigProblems) {
            let spec = try ConnectorSpecParser.load(file: URL(fileURLWithPath: connector))
            let catalog = try TopicCatalog.load(directory: root.appendingPathComponent("topics"))
            let declared = try ConnectorAssembly.dryRun(catalog: catalog, pipelineMode: .compiled).build(spec)
            return .success(Loaded(spec: spec, catalog: catalog, declared: declared))
        } catch {
            return .failure(error)
        }
    }

    /// What `load` read and built.
    struct Loaded {
        var spec: ConnectorSpec
        var catalog: TopicCatalog
        var declared: AssembledConnector
    }

    func run() async throws {
        let signals = EarlySignals()
        let logger = common.makeLogger()
        let loaded: Loaded
        switch Self.load(connector: connector, root: common.rootURL) {
        case .success(let value): loaded = value
        case .failure(let problems):
            Terminal.complain("syncline run: refusing to start:\n\(problems)")
            throw ExitCode(2)
        }
        let spec = loaded.spec
        let kafka = KafkaConfig(
            bootstrapServers: brokers, properties: KafkaConfig.environmentProperties(ProcessInfo.processInfo.environment))
        // Code-level processors (im, telephony) keep durable state; it lives in the state directory,
        // and links against the identity index found there (built by `syncline up`). The assembly is
        // not given Kafka: the state stays local (one loop, no changelog).
        let state = common.stateURL
        try StateDirectory.prepare(state)
        let assembly = ConnectorAssembly(
            catalog: loaded.catalog, identity: try IdentityIndex(path: IdentityIndex.path(inStateDirectory: state)),
            activities: try ActivityStore(path: ActivityStore.path(inStateDirectory: state)), logger: logger)
        let parts: ProcessorParts
        do throws(ConfigProblems) {
            parts = try assembly.build(spec).parts
        } catch {
            Terminal.complain("syncline run: refusing to start:\n\(error)")
            throw ExitCode(2)
        }
        // The ledger as under `syncline up`: DLQ index, delayed samples, the mapping version — so
        // `syncline dlq list` and `latency samples` see what this run rejected and delayed.
        let ledger = try Ledger(path: Ledger.path(inStateDirectory: state))
        let ledgerWriter = LedgerWriter(ledger: ledger) { error in
            logger.error("ledger write failed; delivery continues without it: \(error)")
        }
        try ledger.recordMappingDeployed(
            connector: spec.name, version: spec.mappingVersion, file: spec.file, content: spec.content,
            atMs: EpochClock.nowMs())
        var runtimeOptions = ConnectorRuntime.Options(
            kafka: kafka, groupID: group ?? "syncline.\(spec.name)", exitAfter: exitAfter, observer: ledgerWriter)
        runtimeOptions.emitters = parts.emitters
        runtimeOptions.crashMarkDirectory = ConnectorRuntime.crashMarkDirectory(inStateDirectory: state)
        let runtime = ConnectorRuntime(spec: spec, pipeline: parts.pipeline, options: runtimeOptions, logger: logger)
        let group = ServiceGroup(configuration: .init(
            services: [
                .init(service: LedgerService(writer: ledgerWriter, ledger: ledger, retentionMs: 7 * 86_400_000, logger: logger)),
                .init(
                    service: ConnectorService(runtime: runtime),
                    successTerminationBehavior: .gracefullyShutdownGroup,
                    failureTerminationBehavior: .gracefullyShutdownGroup),
            ],
            gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        signals.attach(group)
        try await group.run()
        if let summary = runtime.summary { Terminal.say(summary.jsonLine) }
    }
}
