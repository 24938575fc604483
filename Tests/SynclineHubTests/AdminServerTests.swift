import Foundation
import Logging
import SynclineAdmin
import SynclineMapping
import SynclineHub
import SynclineKafka
import SynclineStore
import Synchronization
import Testing

@Suite("Admin server over real HTTP: metrics, health, connectors API, bearer-token pause/resume", .serialized)
struct AdminServerTests {
    let logger: Logger = {
        var logger = Logger(label: "test")
        logger.logLevel = ProcessInfo.processInfo.environment["SYNCLINE_TEST_LOG"].flatMap(Logger.Level.init(rawValue:)) ?? .error
        return logger
    }()

    /// Starts the hub on a temp project with the admin server on a free port; returns the app and base URL.
    func startHub(token: String?) async throws -> (HubApplication, String, Task<Void, any Error>) {
        let project = try ProjectFixture(connectors: ["mirror.yaml": ProjectFixture.mirror])
        let hub = try await ReadyHub.launch(project, token: token, logger: logger)
        return (hub.app, hub.base, hub.run)
    }

    func publish(_ count: Int, to bootstrap: String) async throws {
        let producer = try KafkaProducer(config: KafkaConfig(bootstrapServers: bootstrap), logger: logger)
        for index in 0..<count {
            _ = try await producer.send(OutputRecord(topic: "raw.marketing.events.v1", key: Array("k\(index)".utf8), value: Array("{}".utf8)))
        }
        producer.close()
    }

    func connectors(_ base: String) async throws -> [ConnectorStatus] {
        struct Answer: Decodable { var connectors: [ConnectorStatus] }
        let answer = try await HTTPTestClient.call("GET", base + "/api/v1/connectors")
        #expect(answer.status == 200)
        return try JSONDecoder().decode(Answer.self, from: answer.body).connectors
    }

    @Test("/metrics exposes the record counters with connector and topic labels and passes promtool's exposition check; /healthz and /readyz answer")
    func metricsAndHealth() async throws {
        let (app, base, run) = try await startHub(token: nil)
        defer { run.cancel() }
        #expect(try await HTTPTestClient.call("GET", base + "/healthz").status == 200)
        try await publish(3, to: app.bootstrapServers)
        let deadline = ContinuousClock.now + .seconds(60)
        while try await connectors(base).first?.produced ?? 0 < 3 && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(100))
        }
        let ready = try await HTTPTestClient.call("GET", base + "/readyz")
        #expect(ready.status == 200, "readyz: \(ready.text)")
        // Activity reaches the metrics once per loop turn; wait for it.
        var metrics = ""
        while !metrics.contains(#"syncline_records_produced_total{connector="mirror",topic="crm.leads.v1"} 3"#) && ContinuousClock.now < deadline {
            metrics = try await HTTPTestClient.call("GET", base + "/metrics").text
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(metrics.contains(#"syncline_records_consumed_total{connector="mirror",topic="raw.marketing.events.v1"} 3"#))
        #expect(metrics.contains(#"syncline_records_produced_total{connector="mirror",topic="crm.leads.v1"} 3"#))
        #expect(metrics.contains("syncline_end_to_end_delay_seconds_bucket"))
        #expect(metrics.contains(#"le="90.0""#) || metrics.contains(#"le="90""#))
        #expect(metrics.contains(#"syncline_source_time_unknown_total{connector="mirror",reason="missing"} 3"#))
        // A real Prometheus parser checks the exposition format.
        let check = try PromtoolCheck.metrics(metrics)
        #expect(check.status == 0, "promtool check metrics: \(check.output)")
        await app.shutdown()
        try await run.value
    }

    @Test("pause/resume need the bearer token: none → 401, wrong → 401, right → 200; paused records wait in Kafka and flow on resume")
    func pauseResumeWithToken() async throws {
        let (app, base, run) = try await startHub(token: "s3cret-token")
        defer { run.cancel() }
        let deadline = ContinuousClock.now + .seconds(60)
        while try await connectors(base).first?.assignedPartitions ?? 0 == 0 && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(100))
        }
        let pause = base + "/api/v1/connectors/mirror/pause"
        #expect(try await HTTPTestClient.call("POST", pause).status == 401)
        #expect(try await HTTPTestClient.call("POST", pause, headers: ["Authorization": "Bearer wrong"]).status == 401)
        #expect(try await HTTPTestClient.call("POST", base + "/api/v1/connectors/nope/pause", headers: ["Authorization": "Bearer s3cret-token"]).status == 404)
        let paused = try await HTTPTestClient.call("POST", pause, headers: ["Authorization": "Bearer s3cret-token"])
        #expect(paused.status == 200)
        #expect(try await connectors(base).first?.state == "paused")
        try await publish(2, to: app.bootstrapServers)
        // Bounded negative check: while paused, nothing is consumed for a while.
        try await Task.sleep(for: .seconds(2))
        #expect(try await connectors(base).first?.consumed == 0)
        let resumed = try await HTTPTestClient.call("POST", base + "/api/v1/connectors/mirror/resume", headers: ["Authorization": "Bearer s3cret-token"])
        #expect(resumed.status == 200)
        while try await connectors(base).first?.produced ?? 0 < 2 && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(try await connectors(base).first?.produced == 2)
        await app.shutdown()
        try await run.value
    }

    @Test("mutating calls are refused when no token is configured, and a non-loopback admin address without a token refuses to start")
    func noTokenNoMutation() async throws {
        let (app, base, run) = try await startHub(token: nil)
        defer { run.cancel() }
        let answer = try await HTTPTestClient.call("POST", base + "/api/v1/connectors/mirror/pause", headers: ["Authorization": "Bearer anything"])
        #expect(answer.status == 403)
        #expect(answer.text.contains("SYNCLINE_ADMIN_TOKEN"))
        await app.shutdown()
        try await run.value

        #expect(throws: AdminServer.UnsafeConfiguration.self) {
            _ = try AdminServer.make(backend: app.backend, settings: .init(host: "0.0.0.0", port: 0, token: nil), logger: logger)
        }
    }
}

/// The admin URL, delivered by the server's onListening callback.
final class AsyncURLBox: Sendable {
    private let value = Mutex<String?>(nil)
    func set(_ url: String) { value.withLock { $0 = url } }
    /// Generous: on a loaded 2-core machine many suites start hubs (and embedded clusters) at once.
    func wait() async throws -> String {
        let deadline = ContinuousClock.now + .seconds(180)
        while ContinuousClock.now < deadline {
            if let url = value.withLock({ $0 }) { return url }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw CancellationError()
    }
}

/// Runs `promtool` (Debian package `prometheus`, installed by `ops/setup --test`).
enum PromtoolCheck {
    static func metrics(_ text: String) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["promtool", "check", "metrics"]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = output
        try process.run()
        input.fileHandleForWriting.write(Data(text.utf8))
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
