import ArgumentParser
import Foundation
import ServiceLifecycle
import SynclineConnectors
import SynclineCore
import SynclineKafka

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

    static func load(connector: String, root: URL) -> Result<(ConnectorSpec, RecordPipeline), ConfigProblems> {
        do throws(ConfigProblems) {
            let spec = try ConnectorSpecParser.load(file: URL(fileURLWithPath: connector))
            let catalog = try TopicCatalog.load(directory: root.appendingPathComponent("topics"))
            return .success((spec, try PipelineBuilder.build(spec, catalog: catalog)))
        } catch {
            return .failure(error)
        }
    }

    func run() async throws {
        let logger = common.makeLogger()
        let spec: ConnectorSpec
        let pipeline: RecordPipeline
        switch Self.load(connector: connector, root: common.rootURL) {
        case .success(let loaded): (spec, pipeline) = loaded
        case .failure(let problems):
            Terminal.complain("syncline run: refusing to start:\n\(problems)")
            throw ExitCode(2)
        }
        let kafka = KafkaConfig(
            bootstrapServers: brokers, properties: KafkaConfig.environmentProperties(ProcessInfo.processInfo.environment))
        let runtime = ConnectorRuntime(
            spec: spec, pipeline: pipeline,
            options: .init(kafka: kafka, groupID: group ?? "syncline.\(spec.name)", exitAfter: exitAfter), logger: logger)
        let group = ServiceGroup(configuration: .init(
            services: [.init(
                service: ConnectorService(runtime: runtime),
                successTerminationBehavior: .gracefullyShutdownGroup,
                failureTerminationBehavior: .gracefullyShutdownGroup)],
            gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
        if let summary = runtime.summary { Terminal.say(summary.jsonLine) }
    }
}
