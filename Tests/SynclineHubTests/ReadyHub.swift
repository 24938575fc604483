import Foundation
import Logging
import SynclineAdmin
import SynclineHub
import SynclineKafka

/// A hub as `syncline up` builds it (`buildApplication`) for a test project: a one-broker embedded
/// cluster, the admin server on a free loopback port, running, and ready (`/readyz` answered 200,
/// so every connector has its partitions) when `start` returns. `stop()` ends it.
struct ReadyHub {
    let app: HubApplication
    /// The admin server's base URL, e.g. `http://127.0.0.1:43121`.
    let base: String
    let run: Task<Void, any Error>

    var config: KafkaConfig { KafkaConfig(bootstrapServers: app.bootstrapServers) }

    static func start(_ project: ProjectFixture, logger: Logger = HubTestSupport.logger, readyWithin: Duration = .seconds(60)) async throws -> ReadyHub {
        let hub = try await launch(project, logger: logger)
        let deadline = ContinuousClock.now + readyWithin
        while try await HTTPTestClient.call("GET", hub.base + "/readyz").status != 200 && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(100))
        }
        return hub
    }

    /// The same hub, returned as soon as its admin server listens (not waiting for readiness);
    /// `token` guards the admin server's mutating calls.
    static func launch(_ project: ProjectFixture, token: String? = nil, logger: Logger = HubTestSupport.logger) async throws -> ReadyHub {
        let url = AsyncURLBox()
        let app = try await buildApplication(
            HubOptions(
                embeddedBrokers: 1, topicsDirectory: project.root.appendingPathComponent("topics"),
                connectorsDirectory: project.root.appendingPathComponent("connectors"), stateDirectory: project.state,
                admin: AdminServer.Settings(host: "127.0.0.1", port: 0, token: token)),
            logger: logger
        ) { address in url.set(address) }
        let run = Task { try await app.run() }
        return ReadyHub(app: app, base: try await url.wait(), run: run)
    }

    func stop() { run.cancel() }
}
