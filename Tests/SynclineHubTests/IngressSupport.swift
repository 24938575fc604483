import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Logging
import SynclineAdmin
import SynclineMapping
import SynclineHub
import SynclineKafka
import SynclineSecurity
import Synchronization
import Testing

/// A hub on a temp project whose connectors take webhooks on their own listener, with HTTP and
/// Kafka helpers. `base` is the ingress listener, `adminBase` the admin server.
struct IngressHarness {
    let app: HubApplication
    let base: String
    let adminBase: String
    let run: Task<Void, any Error>
    let logger: Logger

    /// Raw topics with one partition (one leader) and pass-through connectors to `hub.hooks.<name>.v1`.
    static func topics(_ names: [String]) -> [String: String] {
        var files: [String: String] = [:]
        for name in names {
            files["raw.hooks.\(name).v1.yaml"] = """
                name: raw.hooks.\(name).v1
                description: webhook bodies for the \(name) ingress test
                partitions: 1
                replication_factor: 1
                format: json
                """
            files["hub.hooks.\(name).v1.yaml"] = """
                name: hub.hooks.\(name).v1
                description: pass-through copy of raw.hooks.\(name).v1 (test)
                partitions: 1
                replication_factor: 1
                format: json
                """
        }
        return files
    }

    /// A pass-through connector from `raw.hooks.<name>.v1` with this `ingress:` block.
    static func connector(_ name: String, ingress: String, format: String = "json", eventID: String? = nil, sourceTimestamp: String? = nil) -> String {
        """
        name: \(name)
        description: pass-through webhook connector (test)
        input:
          topics: [raw.hooks.\(name).v1]
          format: \(format)
        \(eventID.map { "event_id: \($0)" } ?? "")
        \(sourceTimestamp.map { "source_timestamp: \($0)" } ?? "")
        dlq: hub.dlq.\(name).v1
        routes:
          - name: all
            topic: hub.hooks.\(name).v1
        ingress: \(ingress)
        """
    }

    static func start(
        connectors: [String: String], topics: [String: String], token: String? = nil, logger: Logger? = nil,
        adminHost: String = "127.0.0.1", ingressHost: String = "127.0.0.1"
    ) async throws -> IngressHarness {
        let project = try project(connectors: connectors, topics: topics)
        let logger = logger ?? {
            var logger = Logger(label: "ingress-test")
            logger.logLevel = ProcessInfo.processInfo.environment["SYNCLINE_TEST_LOG"].flatMap(Logger.Level.init(rawValue:)) ?? .error
            return logger
        }()
        let url = AsyncURLBox()
        let ingressURL = AsyncURLBox()
        let app = try await buildApplication(
            options(project: project, token: token, adminHost: adminHost, ingressHost: ingressHost),
            logger: logger, onAdminListening: { address in url.set(address) },
            onIngressListening: { address in ingressURL.set(address) })
        let run = Task { try await app.run() }
        // Reach a wildcard-bound listener over loopback.
        func local(_ url: String) -> String { url.replacingOccurrences(of: "://0.0.0.0:", with: "://127.0.0.1:") }
        return IngressHarness(
            app: app, base: local(try await ingressURL.wait()), adminBase: local(try await url.wait()), run: run, logger: logger)
    }

    static func options(project: ProjectFixture, token: String?, adminHost: String = "127.0.0.1", ingressHost: String = "127.0.0.1") -> HubOptions {
        HubOptions(
            embeddedBrokers: 1, topicsDirectory: project.root.appendingPathComponent("topics"),
            connectorsDirectory: project.root.appendingPathComponent("connectors"), stateDirectory: project.state,
            admin: AdminServer.Settings(host: adminHost, port: 0, token: token),
            ingress: ListenAddress(host: ingressHost, port: 0))
    }

    /// A project for these connectors, with their DLQ topics declared.
    static func project(connectors: [String: String], topics: [String: String]) throws -> ProjectFixture {
        var dlqTopics: [String: String] = [:]
        for name in connectors.keys.map({ String($0.dropLast(".yaml".count)) }) {
            dlqTopics["hub.dlq.\(name).v1.yaml"] = "name: hub.dlq.\(name).v1\ndescription: test DLQ\npartitions: 1\nreplication_factor: 1\nformat: json\n"
        }
        return try ProjectFixture(connectors: connectors, extraTopics: topics.merging(dlqTopics) { $1 })
    }

    func stop() async throws {
        await app.shutdown()
        try await run.value
    }

    struct Answer {
        var status: Int
        var headers: [String: String]
        var body: Data
        var text: String { String(decoding: body, as: UTF8.self) }
    }

    /// A call to the ingress listener.
    func send(_ method: String, _ path: String, headers: [String: String] = [:], body: [UInt8] = []) async throws -> Answer {
        try await call(base, method, path, headers: headers, body: body)
    }

    /// A call to the admin server.
    func admin(_ method: String, _ path: String, headers: [String: String] = [:]) async throws -> Answer {
        try await call(adminBase, method, path, headers: headers)
    }

    func call(_ root: String, _ method: String, _ path: String, headers: [String: String] = [:], body: [UInt8] = []) async throws -> Answer {
        var request = URLRequest(url: try #require(URL(string: root + path)))
        request.httpMethod = method
        request.timeoutInterval = 60
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        if method != "GET" { request.httpBody = Data(body) }
        let (data, response) = try await URLSession.shared.data(for: request)
        let http = response as? HTTPURLResponse
        var answerHeaders: [String: String] = [:]
        for entry in http?.allHeaderFields ?? [:] {
            answerHeaders["\(entry.key)".lowercased()] = "\(entry.value)"
        }
        return Answer(status: http?.statusCode ?? 0, headers: answerHeaders, body: data)
    }

    /// Every record on a one-partition topic.
    func records(_ topic: String) async throws -> [InputRecord] {
        let reader = KafkaTopicReader(config: app.kafkaConfig, logger: logger)
        return try await BlockingThread.run { try reader.readAll(topic: topic, partitions: 1, timeout: .seconds(20)) }
    }

    /// Waits until `topic` holds at least `count` records.
    func waitForRecords(_ topic: String, count: Int, within: Duration = .seconds(60)) async throws -> [InputRecord] {
        let deadline = ContinuousClock.now + within
        var seen: [InputRecord] = []
        while ContinuousClock.now < deadline {
            seen = try await records(topic)
            if seen.count >= count { return seen }
            try await Task.sleep(for: .milliseconds(200))
        }
        return seen
    }

    /// The admin server's `/metrics` (with the token when given).
    func metrics(token: String? = nil) async throws -> String {
        try await admin("GET", "/metrics", headers: token.map { ["Authorization": "Bearer \($0)"] } ?? [:]).text
    }

    /// A fresh, unique environment variable holding `value` (the hub reads secrets from the environment).
    static func secretVariable(_ value: String) -> String {
        let name = "SYNCLINE_TEST_SECRET_\(UUID().uuidString.replacingOccurrences(of: "-", with: "_"))"
        setenv(name, value, 1)
        return name
    }

    static func now() -> String { String(Int(Date().timeIntervalSince1970)) }
}
