import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Talks to a running hub's admin API (for `syncline status` and friends).
struct AdminClient {
    let base: String

    init(address: String) {
        base = address.hasPrefix("http") ? address : "http://\(address)"
    }

    func get<T: Decodable>(_ path: String, as type: T.Type) async throws -> T {
        guard let url = URL(string: base + path) else { throw AdminClientError(message: "bad admin address \(base)") }
        let (data, response) = try await URLSession.shared.data(from: url)
        guard let http = response as? HTTPURLResponse, http.statusCode == 200 else {
            throw AdminClientError(message: "\(url) answered \((response as? HTTPURLResponse)?.statusCode ?? 0): \(String(decoding: data, as: UTF8.self))")
        }
        return try JSONDecoder().decode(T.self, from: data)
    }
}

struct AdminClientError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
