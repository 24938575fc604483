/// The parts of an HTTP request that signature verification reads, free of any HTTP framework.
public struct WebhookRequest: Sendable {
    public var method: String
    /// The full URL as the sender called it (Twilio signs it).
    public var url: String
    /// Query parameters, decoded.
    public var query: [String: String]
    /// Header values by lower-cased name.
    public var headers: [String: String]
    public var body: [UInt8]

    public init(method: String, url: String, query: [String: String] = [:], headers: [String: String] = [:], body: [UInt8] = []) {
        self.method = method.uppercased()
        self.url = url
        self.query = query
        self.headers = Dictionary(headers.map { ($0.key.lowercased(), $0.value) }) { _, last in last }
        self.body = body
    }

    public func header(_ name: String) -> String? { headers[name.lowercased()] }
}
