import ArgumentParser
import Foundation
import ServiceLifecycle
import SynclineMapping
import SynclineHub
import SynclineKafka

/// `syncline broker`: only the embedded Kafka cluster, with the declared topics, for local work.
struct BrokerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "broker", abstract: "Run only the embedded Kafka cluster (mock brokers on loopback) with the declared topics.")

    @OptionGroup var common: CommonOptions

    @Option(help: "Number of brokers.")
    var brokers: Int = 3

    func run() async throws {
        let logger = common.makeLogger()
        let cluster = try EmbeddedKafkaCluster(brokers: brokers)
        let topics = common.rootURL.appendingPathComponent("topics")
        if FileManager.default.fileExists(atPath: topics.path) {
            do throws(ConfigProblems) {
                let catalog = try TopicCatalog.load(directory: topics)
                for result in TopicApplier.apply(catalog, to: cluster) where result.action == .failed {
                    Terminal.complain("topic \(result.topic): \(result.detail)")
                }
            } catch {
                Terminal.complain("topics not applied:\n\(error)")
            }
        }
        Terminal.say("kafka: \(cluster.bootstrapServers)")
        let group = ServiceGroup(configuration: .init(
            services: [.init(service: EmbeddedClusterService(cluster: cluster))],
            gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}
