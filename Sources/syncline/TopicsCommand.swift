import ArgumentParser
import Foundation
import SynclineMapping
import SynclineHub
import SynclineKafka

/// `syncline topics apply|list`: declared topics against what a cluster has.
struct TopicsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "topics", abstract: "Apply or list the topics declared in topics/.",
        subcommands: [Apply.self, List.self])

    struct Apply: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create the declared topics that are missing (idempotent).")
        @OptionGroup var common: CommonOptions
        @Option(help: "Bootstrap servers of the cluster to apply to.")
        var brokers: String

        func run() async throws {
            let logger = common.makeLogger()
            let catalog = try loadCatalog(common)
            let config = KafkaConfig(bootstrapServers: brokers, properties: KafkaConfig.environmentProperties(ProcessInfo.processInfo.environment))
            let results = try await BlockingThread.run { try TopicApplier.apply(catalog, config: config, logger: logger) }
            for result in results {
                Terminal.say("\(result.action.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0)) \(result.topic)  \(result.detail)")
            }
            if results.contains(where: { $0.action == .failed }) { throw ExitCode(1) }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show declared topics, and with --brokers what the cluster has.")
        @OptionGroup var common: CommonOptions
        @Option(help: "Bootstrap servers of the cluster to compare with.")
        var brokers: String?

        func run() async throws {
            let logger = common.makeLogger()
            let catalog = try loadCatalog(common)
            var actual: [String: Int]?
            if let brokers {
                let config = KafkaConfig(bootstrapServers: brokers, properties: KafkaConfig.environmentProperties(ProcessInfo.processInfo.environment))
                actual = try await BlockingThread.run { try KafkaAdmin(config: config, logger: logger).describeTopics() }
            }
            Terminal.say("TOPIC                              DECLARED  ACTUAL    KEY")
            for spec in catalog.topics {
                let have = actual.map { $0[spec.name].map(String.init) ?? "missing" } ?? "-"
                Terminal.say("\(spec.name.padding(toLength: 34, withPad: " ", startingAt: 0)) \(String(spec.partitions).padding(toLength: 9, withPad: " ", startingAt: 0)) \(have.padding(toLength: 9, withPad: " ", startingAt: 0)) \(spec.key ?? "-")")
            }
            if let actual {
                for name in actual.keys.sorted() where catalog[name] == nil && !name.hasPrefix("__") {
                    Terminal.say("\(name.padding(toLength: 34, withPad: " ", startingAt: 0)) undeclared \(actual[name] ?? 0)")
                }
            }
        }
    }

    static func loadCatalog(_ common: CommonOptions) throws -> TopicCatalog {
        do throws(ConfigProblems) {
            return try TopicCatalog.load(directory: common.rootURL.appendingPathComponent("topics"))
        } catch {
            Terminal.complain(error.description)
            throw ExitCode(2)
        }
    }
}

private func loadCatalog(_ common: CommonOptions) throws -> TopicCatalog { try TopicsCommand.loadCatalog(common) }
