import ArgumentParser
import Foundation
import SynclineMapping
import SynclineAdmin
import SynclineDemo
import SynclineHub
import Synchronization

/// `syncline up`: the whole hub — topics applied, every connector running, until SIGINT/SIGTERM.
struct UpCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "up", abstract: "Run the whole hub (starts the embedded Kafka cluster unless --brokers is given).")

    @OptionGroup var common: CommonOptions

    @Option(help: "Bootstrap servers of a Kafka cluster; without it the embedded cluster is started.")
    var brokers: String?

    @Option(help: "Brokers of the embedded cluster.")
    var embeddedBrokers: Int = 3

    @Option(help: "Admin server address HOST:PORT (port 0 picks a free one). Mutating calls need $SYNCLINE_ADMIN_TOKEN, and so does every read off loopback.")
    var admin: String = "127.0.0.1:8080"

    @Option(help: "Serve webhooks (connectors' ingress: blocks) on their own listener HOST:PORT (also $SYNCLINE_INGRESS). Without it no webhook is served.")
    var ingress: String?

    @Flag(help: "Also publish realistic demo traffic for all five upstream systems, with a live summary every 5 s (open the admin URL for the status page).")
    var demo = false

    func run() async throws {
        let earlySignals = EarlySignals()
        let logger = common.makeLogger()
        let token = ProcessInfo.processInfo.environment["SYNCLINE_ADMIN_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
        guard let adminSettings = AdminServer.Settings(address: admin, token: token) else {
            Terminal.complain("syncline up: --admin must be HOST:PORT, got '\(admin)'")
            throw ExitCode(2)
        }
        let ingressText = ingress ?? ProcessInfo.processInfo.environment["SYNCLINE_INGRESS"].flatMap { $0.isEmpty ? nil : $0 }
        var ingressAddress: ListenAddress?
        if let ingressText {
            guard let parsed = ListenAddress(ingressText) else {
                Terminal.complain("syncline up: --ingress must be HOST:PORT, got '\(ingressText)'")
                throw ExitCode(2)
            }
            ingressAddress = parsed
        }
        let options = HubOptions(
            brokers: brokers, embeddedBrokers: embeddedBrokers,
            topicsDirectory: common.rootURL.appendingPathComponent("topics"),
            connectorsDirectory: common.rootURL.appendingPathComponent("connectors"),
            stateDirectory: common.stateURL, admin: adminSettings, ingress: ingressAddress)
        let app: HubApplication
        let adminURL = AdminURL()
        do {
            app = try await buildApplication(
                options, logger: logger, signals: [.sigterm, .sigint],
                onAdminListening: { url in
                    adminURL.set(url)
                    Terminal.say("admin: \(url)")
                    if demo { Terminal.say("status page: \(url)/  (Ctrl-C stops the demo)") }
                },
                extraServices: { hub in demo ? [DemoWiring.service(hub, report: { Terminal.say($0) })] : [] },
                onIngressListening: { url in Terminal.say("ingress: \(url)") })
        } catch let refusal as AdminServer.UnsafeConfiguration {
            Terminal.complain("syncline up: \(refusal)")
            throw ExitCode(2)
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
        earlySignals.attach(app.serviceGroup)
        try await app.run()
        for runtime in app.runtimes {
            if let summary = runtime.summary { Terminal.say(summary.jsonLine) }
        }
        if demo { Terminal.say(DemoTrafficService.farewell(adminURL: adminURL.value)) }
    }
}

/// The admin URL once the server listens (for the demo's parting hints).
private final class AdminURL: Sendable {
    private let url = Mutex<String?>(nil)
    func set(_ value: String) { url.withLock { $0 = value } }
    var value: String? { url.withLock { $0 } }
}
