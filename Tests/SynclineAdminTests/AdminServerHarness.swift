import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import SynclineAdmin
import Testing
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The admin server on a real listening port (127.0.0.1, a free port) in front of a fake backend.
struct AdminServerHarness {
    struct Answer {
        var status: Int
        var headers: [String: String]
        var body: Data
        var text: String { String(decoding: body, as: UTF8.self) }

        /// The body as a JSON object.
        func object() throws -> [String: Any] {
            try #require(try JSONSerialization.jsonObject(with: body) as? [String: Any], "not a JSON object: \(text)")
        }
    }

    let backend: FakeAdminBackend
    let base: String
    private let group: ServiceGroup
    private let run: Task<Void, any Error>

    static let logger: Logger = {
        var logger = Logger(label: "admin-test")
        logger.logLevel = .error
        return logger
    }()

    /// Starts the server; `host` 0.0.0.0 puts it off loopback (it is still called on 127.0.0.1).
    static func start(_ backend: FakeAdminBackend = FakeAdminBackend(), token: String? = nil, host: String = "127.0.0.1") async throws -> AdminServerHarness {
        let (listening, continuation) = AsyncStream<String>.makeStream()
        let app = try AdminServer.make(
            backend: backend, settings: .init(host: host, port: 0, token: token), logger: logger,
            onListening: { continuation.yield($0) })
        let group = ServiceGroup(configuration: .init(services: [app], logger: logger))
        let run = Task { try await group.run() }
        var iterator = listening.makeAsyncIterator()
        let address = try #require(await iterator.next(), "the admin server never listened")
        let port = try #require(address.split(separator: ":").last.map(String.init))
        return AdminServerHarness(backend: backend, base: "http://127.0.0.1:\(port)", group: group, run: run)
    }

    func stop() async throws {
        await group.triggerGracefulShutdown()
        try await run.value
    }

    /// The whole test suite starts at once on two cores: in a full run a first local request has
    /// waited 30–65 s for threads (and URLSession.shared's 60 s request timeout, which wins over
    /// the request's own on Linux, failed it twice). These calls are about routes and answers, not
    /// about how fast a starved test process gets a thread, so they wait up to five minutes.
    static let session: URLSession = {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = 300
        configuration.timeoutIntervalForResource = 300
        return URLSession(configuration: configuration)
    }()

    func call(_ method: String, _ path: String, headers: [String: String] = [:]) async throws -> Answer {
        var request = URLRequest(url: try #require(URL(string: base + path)))
        request.httpMethod = method
        request.timeoutInterval = 300
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        let (data, response) = try await Self.session.data(for: request)
        let http = response as? HTTPURLResponse
        var answerHeaders: [String: String] = [:]
        for entry in http?.allHeaderFields ?? [:] {
            answerHeaders["\(entry.key)".lowercased()] = "\(entry.value)"
        }
        return Answer(status: http?.statusCode ?? 0, headers: answerHeaders, body: data)
    }
}
