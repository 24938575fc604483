import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Talks to a running hub's admin API (for `syncline status` and friends), presenting
/// `$SYNCLINE_ADMIN_TOKEN` when it is set (reads off loopback need it).
struct AdminClient {
    let base: String
    let token: String?

    init(address: String, token: String? = ProcessInfo.processInfo.environment["SYNCLINE_ADMIN_TOKEN"]) {
        base = address.hasPrefix("http") ? address : "http://\(address)"
        self.token = token.flatMap { $0.isEmpty ? nil : $0 }
    }

    func get<T: Decodable>(_ path: String, as type: T.Type) async throws -> T {
        guard let url = URL(string: base + path) else { throw AdminClientError(message: "bad admin address \(base)") }
        var request = URLRequest(url: url)
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        let (data, response) = try await URLSession.shared.data(for: request)
        guard let http = response as? HTTPURLResponse, http.statusCode == 200 else {
            throw AdminClientError(message: "\(url) answered \((response as? HTTPURLResponse)?.statusCode ?? 0): \(String(decoding: data, as: UTF8.self))")
        }
        return try JSONDecoder().decode(T.self, from: data)
    }

    /// POSTs to an operation endpoint (e.g. `/api/v1/connectors/X/stop`) and returns the answer's body.
    func post(_ path: String) async throws -> String {
        guard let url = URL(string: base + path) else { throw AdminClientError(message: "bad admin address \(base)") }
        var request = URLRequest(url: url)
        request.httpMethod = "POST"
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        let (data, response) = try await URLSession.shared.data(for: request)
        let body = String(decoding: data, as: UTF8.self)
        guard let http = response as? HTTPURLResponse, http.statusCode == 200 else {
            throw AdminClientError(message: "\(url) answered \((response as? HTTPURLResponse)?.statusCode ?? 0): \(body)")
        }
        return body
    }
}

struct AdminClientError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
