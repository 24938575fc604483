import ArgumentParser
import Foundation
import SynclineCore
import SynclineHub

/// `syncline up`: the whole hub — topics applied, every connector running, until SIGINT/SIGTERM.
struct UpCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "up", abstract: "Run the whole hub (starts the embedded Kafka cluster unless --brokers is given).")

    @OptionGroup var common: CommonOptions

    @Option(help: "Bootstrap servers of a Kafka cluster; without it the embedded cluster is started.")
    var brokers: String?

    @Option(help: "Brokers of the embedded cluster.")
    var embeddedBrokers: Int = 3

    func run() async throws {
        let logger = common.makeLogger()
        let options = HubOptions(
            brokers: brokers, embeddedBrokers: embeddedBrokers,
            topicsDirectory: common.rootURL.appendingPathComponent("topics"),
            connectorsDirectory: common.rootURL.appendingPathComponent("connectors"),
            stateDirectory: common.stateURL)
        let app: HubApplication
        do {
            app = try await buildApplication(options, logger: logger, signals: [.sigterm, .sigint])
        } catch {
            guard let problems = error as? ConfigProblems else { throw error }
            Terminal.complain("syncline up: refusing to start:\n\(problems)")
            throw ExitCode(2)
        }
        for result in app.topicResults where result.action == .failed {
            Terminal.complain("topic \(result.topic): \(result.detail)")
        }
        Terminal.say("kafka: \(app.bootstrapServers)")
        Terminal.say("connectors: \(app.runtimes.map(\.spec.name).joined(separator: ", "))")
        try await app.run()
        for runtime in app.runtimes {
            if let summary = runtime.summary { Terminal.say(summary.jsonLine) }
        }
    }
}
