import Hummingbird
import NIOCore

/// Refuses reads (GET, HEAD) without the admin token when the admin listener is not on loopback:
/// the API, the status page and `/metrics` carry operational and personal data. `/healthz` and
/// `/readyz` stay open for probes; they say nothing about records. Mutating calls check the token
/// in their handlers (Bearer only).
struct AdminReadGuard: RouterMiddleware {
    typealias Context = BasicRequestContext

    let token: BearerToken?
    let open: Set<String> = ["/healthz", "/readyz"]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.method == .get || request.method == .head, !open.contains(request.uri.path) else {
            return try await next(request, context)
        }
        guard let token, token.acceptsRead(authorizationHeader: request.headers[.authorization]) else {
            var response = try AdminServer.json(AdminViews.Problem(error: "reads need the admin token off loopback (Authorization: Bearer …)"), status: .unauthorized)
            // A browser opening the status page gets its login prompt (Basic; the password is the
            // token), and then sends it with the page's own API calls. API clients get Bearer.
            let browser = request.headers[.accept]?.contains("text/html") == true
            response.headers[.wwwAuthenticate] = browser ? #"Basic realm="syncline admin", charset="UTF-8""# : "Bearer"
            return response
        }
        return try await next(request, context)
    }
}
