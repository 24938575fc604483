import Foundation
import Hummingbird
import NIOCore

/// The status page (`GET /`) and the two read-only endpoints it needs besides the rest of the
/// admin API: `GET /api/v1/alerts?limit=N` (latest `hub.alerts.v1` records, newest first) and
/// `GET /api/v1/latency/percentiles` (exact p50/p99 delay per connector over the last minutes).
///
/// The page is one self-contained HTML document (`StatusPageHTML`), with no numbers in it: its
/// script reads the same JSON API everyone else uses and refreshes itself every 2 s.
enum StatusPage {
    static func addRoutes(to router: Router<BasicRequestContext>, backend: any AdminBackend, token: BearerToken?) {
        router.get("/") { _, _ -> Response in
            Response(
                status: .ok,
                headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
                body: .init(byteBuffer: ByteBuffer(string: StatusPageHTML.document)))
        }
        router.get("api/v1/alerts") { request, _ -> Response in
            let unmasked: Bool
            switch try AdminServer.wantsUnmasked(request, token: token) {
            case .success(let value): unmasked = value
            case .failure(let refusal): return refusal.response
            }
            let limit = min(max(request.uri.queryParameters.get("limit", as: Int.self) ?? 20, 1), 500)
            let alerts = try await backend.recentAlerts(limit: limit)
            return try AdminServer.json(Alerts(alerts: unmasked ? alerts : alerts.map(\.masked)), status: .ok)
        }
        router.get("api/v1/latency/percentiles") { _, _ -> Response in
            try AdminServer.json(Percentiles(connectors: backend.delayPercentiles()), status: .ok)
        }
    }

    struct Alerts: Codable {
        var alerts: [RecentAlert]
    }

    struct Percentiles: Codable {
        var connectors: [DelayPercentiles]
    }
}
