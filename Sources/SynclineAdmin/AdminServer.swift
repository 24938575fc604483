public import Hummingbird
public import Logging
import Foundation
import NIOCore
import SynclineMapping

/// The admin HTTP server: the status page, `/metrics`, `/healthz`, `/readyz` and the JSON API
/// under `/api/v1`. Webhooks are not served here (`IngressServer` has its own listener).
/// Mutating calls need the bearer token; without a configured token they are refused, and the
/// server refuses to listen on a non-loopback address at all. Off loopback every read except the
/// health probes needs the token too. Personal data in answers (DLQ reasons, alert phones and
/// ids) is masked unless the caller presents the token and asks for `?unmasked=1`.
public enum AdminServer {
    /// Where to listen and who may change things.
    public struct Settings: Sendable {
        public var host: String
        public var port: Int
        /// The bearer token for mutating calls; nil disables them.
        public var token: String?

        public init(host: String = "127.0.0.1", port: Int = 8080, token: String? = nil) {
            self.host = host
            self.port = port
            self.token = token
        }

        /// Parses `HOST:PORT` (`--admin`).
        public init?(address: String, token: String?) {
            guard let parsed = ListenAddress(address) else { return nil }
            self.init(host: parsed.host, port: parsed.port, token: token)
        }

        public var isLoopback: Bool { ListenAddress.isLoopback(host: host) }
    }

    /// A configuration the server refuses to start with.
    public struct UnsafeConfiguration: Error, CustomStringConvertible {
        public var description: String
    }

    /// Builds the server as a `Service`; `onListening` receives `http://host:port` once it is bound.
    public static func make(
        backend: any AdminBackend, settings: Settings, logger: Logger,
        onListening: @escaping @Sendable (String) async -> Void = { _ in }
    ) throws -> any ApplicationProtocol {
        if !settings.isLoopback && (settings.token ?? "").isEmpty {
            throw UnsafeConfiguration(description: "refusing to serve the admin API on \(settings.host) without a bearer token (set SYNCLINE_ADMIN_TOKEN)")
        }
        let router = Router()
        let token = settings.token.flatMap { $0.isEmpty ? nil : BearerToken($0) }
        if !settings.isLoopback { router.add(middleware: AdminReadGuard(token: token)) }
        addRoutes(to: router, backend: backend, token: token)
        let host = settings.host.contains(":") ? "[\(settings.host)]" : settings.host
        return Application(
            router: router,
            configuration: .init(address: .hostname(settings.host, port: settings.port), serverName: "syncline"),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? settings.port
                await onListening("http://\(host):\(port)")
            },
            logger: logger)
    }

    static func addRoutes(to router: Router<BasicRequestContext>, backend: any AdminBackend, token: BearerToken?) {
        StatusPage.addRoutes(to: router, backend: backend, token: token)
        LineagePage.addRoutes(to: router, backend: backend)
        router.get("healthz") { _, _ in "ok\n" }
        router.get("readyz") { _, _ -> Response in
            let reasons = backend.readiness()
            if reasons.isEmpty { return text("ready\n", status: .ok) }
            return text("not ready:\n" + reasons.map { "- \($0)\n" }.joined(), status: .serviceUnavailable)
        }
        router.get("metrics") { _, _ -> Response in
            Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: backend.metricsText())))
        }
        let api = router.group("api/v1")
        api.get("connectors") { _, _ in AdminViews.Connectors(connectors: backend.connectors()) }
        api.post("connectors/:name/pause") { request, context -> Response in
            let allowed = try authorize(request, token: token)
            if let refusal = allowed { return refusal }
            let name = context.parameters.get("name") ?? ""
            return try outcome(name, found: await backend.pause(connector: name), state: "paused")
        }
        api.post("connectors/:name/resume") { request, context -> Response in
            let allowed = try authorize(request, token: token)
            if let refusal = allowed { return refusal }
            let name = context.parameters.get("name") ?? ""
            return try outcome(name, found: backend.resume(connector: name), state: "running")
        }
        api.post("connectors/:name/stop") { request, context -> Response in
            let allowed = try authorize(request, token: token)
            if let refusal = allowed { return refusal }
            let name = context.parameters.get("name") ?? ""
            guard await backend.stop(connector: name) else {
                return try json(AdminViews.Problem(error: "no running connector named '\(name)'"), status: .conflict)
            }
            return try json(AdminViews.Outcome(connector: name, state: "stopped"), status: .ok)
        }
        api.post("connectors/:name/start") { request, context -> Response in
            let allowed = try authorize(request, token: token)
            if let refusal = allowed { return refusal }
            let name = context.parameters.get("name") ?? ""
            guard backend.start(connector: name) else {
                return try json(AdminViews.Problem(error: "no connector named '\(name)' stopped by an operator"), status: .conflict)
            }
            return try json(AdminViews.Outcome(connector: name, state: "running"), status: .ok)
        }
        api.get("channels/health") { request, _ -> AdminViews.Channels in
            let window = request.uri.queryParameters.get("window") ?? "24h"
            guard let windowMs = DurationText.milliseconds(window) else {
                throw HTTPError(.badRequest, message: "window '\(window)' is not a duration like 30m, 24h or 7d")
            }
            let health = try backend.channelHealth(sinceMs: EpochClock.nowMs() - windowMs)
            return AdminViews.Channels(window: window, channels: health.map(AdminViews.channel))
        }
        api.get("latency/samples") { request, _ -> AdminViews.Samples in
            let connector = request.uri.queryParameters.get("connector")
            let limit = min(max(request.uri.queryParameters.get("limit", as: Int.self) ?? 5, 1), 500)
            let samples = try backend.delayedSamples(connector: connector, limit: limit)
            return AdminViews.Samples(samples: samples.map(AdminViews.sample))
        }
        api.get("dlq") { request, _ -> Response in
            let unmasked: Bool
            switch try wantsUnmasked(request, token: token) {
            case .success(let value): unmasked = value
            case .failure(let refusal): return refusal.response
            }
            let connector = request.uri.queryParameters.get("connector")
            let code = request.uri.queryParameters.get("code")
            let limit = min(max(request.uri.queryParameters.get("limit", as: Int.self) ?? 100, 1), 5_000)
            let entries = try backend.deadLetters(connector: connector, code: code, limit: limit)
            let views = entries.map { AdminViews.deadLetter($0, masked: !unmasked) }
            return try json(AdminViews.DeadLetters(dead_letters: views), status: .ok)
        }
    }

    /// Nil when the request carries the configured bearer token; otherwise the refusal to send.
    static func authorize(_ request: Request, token: BearerToken?) throws -> Response? {
        guard let token else {
            return try json(AdminViews.Problem(error: "mutating calls are disabled: no admin token is configured (SYNCLINE_ADMIN_TOKEN)"), status: .forbidden)
        }
        guard token.accepts(authorizationHeader: request.headers[.authorization]) else {
            var response = try json(AdminViews.Problem(error: "a valid bearer token is required"), status: .unauthorized)
            response.headers[.wwwAuthenticate] = "Bearer"
            return response
        }
        return nil
    }

    /// A refusal already rendered as the response to send.
    struct Refusal: Error {
        var response: Response
    }

    /// Whether the caller asked for personal data unmasked (`?unmasked=1`) and may have it: only
    /// with the admin token, on any address. Asking without it is refused rather than ignored.
    static func wantsUnmasked(_ request: Request, token: BearerToken?) throws -> Result<Bool, Refusal> {
        let asked = request.uri.queryParameters.get("unmasked").map { ["1", "true", "yes"].contains($0.lowercased()) } ?? false
        guard asked else { return .success(false) }
        guard let token else {
            return .failure(Refusal(response: try json(
                AdminViews.Problem(error: "unmasked reads need the admin token, and none is configured (SYNCLINE_ADMIN_TOKEN)"), status: .forbidden)))
        }
        guard token.acceptsRead(authorizationHeader: request.headers[.authorization]) else {
            var response = try json(AdminViews.Problem(error: "unmasked reads need the admin token (Authorization: Bearer …)"), status: .unauthorized)
            response.headers[.wwwAuthenticate] = "Bearer"
            return .failure(Refusal(response: response))
        }
        return .success(true)
    }

    static func outcome(_ name: String, found: Bool, state: String) throws -> Response {
        guard found else { return try json(AdminViews.Problem(error: "no connector named '\(name)'"), status: .notFound) }
        return try json(AdminViews.Outcome(connector: name, state: state), status: .ok)
    }

    static func json(_ value: some Encodable, status: HTTPResponse.Status) throws -> Response {
        let data = try JSONEncoder().encode(value)
        return Response(
            status: status, headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func text(_ value: String, status: HTTPResponse.Status) -> Response {
        Response(status: status, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: value)))
    }
}

extension AdminViews.Connectors: ResponseEncodable {}
extension AdminViews.Channels: ResponseEncodable {}
extension AdminViews.Samples: ResponseEncodable {}
