import Foundation

/// A connector's webhook ingress (`ingress:` in its YAML): how calls to `/ingest/<connector>` are
/// verified and limited. Secrets are never in the file: `secretEnv` names the environment variable.
public struct IngressSpec: Sendable, Equatable {
    /// How a request proves it comes from the upstream.
    public enum Verification: String, Sendable, Equatable, CaseIterable {
        /// Generic HMAC-SHA256 over timestamp + body, hex or base64, header names configurable.
        case hmac
        /// WeCom (企业微信) callbacks: SHA-1 signature and AES-256-CBC encrypted messages.
        case wecom
        /// Twilio: `X-Twilio-Signature`, HMAC-SHA1 over the URL and the sorted form parameters.
        case twilio
        /// Zendesk: `X-Zendesk-Webhook-Signature`, HMAC-SHA256 over timestamp + body.
        case zendesk
        /// No verification: only for trusted networks and tests.
        case none
    }

    public var verify: Verification
    /// The environment variable holding the secret (HMAC key, auth token, WeCom token).
    public var secretEnv: String?
    /// WeCom: the environment variable holding the 43-character EncodingAESKey.
    public var aesKeyEnv: String?
    /// WeCom: the expected receiver id (the corp id, or the suite id for third-party apps).
    public var receiverID: String?
    /// WeCom: the environment variable holding the receiver id instead (shipped connectors).
    public var receiverIDEnv: String?
    /// The signature header (`hmac`; defaults per scheme).
    public var header: String
    /// The timestamp header (`hmac`, `zendesk`).
    public var timestampHeader: String
    /// How far a signed timestamp may be from the hub's clock, and how long a signature is
    /// remembered to refuse replays.
    public var replayWindowSeconds: Int
    /// Larger bodies are refused with 413.
    public var maxBodyBytes: Int
    /// Requests per second accepted for this connector (token bucket), and the burst.
    public var ratePerSecond: Double
    public var burst: Double
    /// Requests per second from one sending address (checked before the signature, so unsigned
    /// floods cannot spend the connector's bucket), and that bucket's burst.
    public var sourceRatePerSecond: Double
    public var sourceBurst: Double
    /// Accepted media types (parameters such as `charset` ignored); others get 415.
    public var contentTypes: [String]
    /// The raw topic the bodies go to (default: the connector's first input topic).
    public var topic: String?
    /// The CloudEvents `ce_type` header (default `syncline.ingress.<verify>`).
    public var ceType: String?
    /// The URL the vendor calls, as it signs it (Twilio signs the full public URL); nil rebuilds
    /// it from the request's Host and `X-Forwarded-Proto`.
    public var publicURL: String?
    /// How long the brokers may take to acknowledge before the caller gets 503.
    public var deliveryTimeoutMs: Int

    public init(
        verify: Verification, secretEnv: String? = nil, aesKeyEnv: String? = nil, receiverID: String? = nil,
        header: String? = nil, timestampHeader: String? = nil, replayWindowSeconds: Int = 300,
        maxBodyBytes: Int = 1 << 20, ratePerSecond: Double = 100, burst: Double? = nil, contentTypes: [String]? = nil,
        topic: String? = nil, ceType: String? = nil, publicURL: String? = nil, deliveryTimeoutMs: Int = 10_000
    ) {
        self.verify = verify
        self.secretEnv = secretEnv
        self.aesKeyEnv = aesKeyEnv
        self.receiverID = receiverID
        self.header = header ?? Self.defaultHeader(verify)
        self.timestampHeader = timestampHeader ?? Self.defaultTimestampHeader(verify)
        self.replayWindowSeconds = replayWindowSeconds
        self.maxBodyBytes = maxBodyBytes
        self.ratePerSecond = ratePerSecond
        self.burst = burst ?? max(1, ratePerSecond)
        self.sourceRatePerSecond = ratePerSecond
        self.sourceBurst = burst ?? max(1, ratePerSecond)
        self.contentTypes = contentTypes ?? Self.defaultContentTypes(verify)
        self.topic = topic
        self.ceType = ceType
        self.publicURL = publicURL
        self.deliveryTimeoutMs = deliveryTimeoutMs
    }

    static func defaultHeader(_ verify: Verification) -> String {
        switch verify {
        case .twilio: return "X-Twilio-Signature"
        case .zendesk: return "X-Zendesk-Webhook-Signature"
        case .wecom: return "msg_signature"
        case .hmac, .none: return "X-Syncline-Signature"
        }
    }

    static func defaultTimestampHeader(_ verify: Verification) -> String {
        switch verify {
        case .zendesk: return "X-Zendesk-Webhook-Signature-Timestamp"
        case .wecom: return "timestamp"
        case .hmac, .twilio, .none: return "X-Syncline-Timestamp"
        }
    }

    static func defaultContentTypes(_ verify: Verification) -> [String] {
        switch verify {
        case .twilio: return ["application/x-www-form-urlencoded"]
        case .wecom: return ["text/xml", "application/xml"]
        case .hmac, .zendesk, .none: return ["application/json"]
        }
    }

    /// True when this media type (a `Content-Type` value, parameters allowed) is accepted.
    public func accepts(contentType: String?) -> Bool {
        guard let contentType else { return false }
        let media = contentType.split(separator: ";", maxSplits: 1).first.map {
            $0.trimmingCharacters(in: .whitespaces).lowercased()
        } ?? ""
        return contentTypes.contains { $0.lowercased() == media }
    }

    static let keys: Set<String> = [
        "verify", "secret_env", "aes_key_env", "receiver_id", "header", "timestamp_header", "replay_window_seconds",
        "max_body_bytes", "rate_per_second", "burst", "content_types", "topic", "ce_type", "public_url", "delivery_timeout_ms",
        "receiver_id_env", "source_rate_per_second", "source_burst",
    ]

    /// Reads an `ingress:` block; problems name the file and field. `inputTopics` are the connector's.
    public static func parse(_ node: ConfigNode, inputTopics: [String], _ problems: inout [ConfigProblem]) -> IngressSpec? {
        guard node.isMapping else {
            problems.append(node.problem("ingress must be a mapping (verify, secret_env, …), found \(node.kindName)"))
            return nil
        }
        node.rejectUnknownKeys(allowed: keys, &problems)
        guard let verifyNode = node.required("verify", &problems), let verifyText = verifyNode.string(&problems) else { return nil }
        guard let verify = Verification(rawValue: verifyText) else {
            let known = Verification.allCases.map(\.rawValue).joined(separator: ", ")
            problems.append(verifyNode.problem("unknown verification '\(verifyText)' (use one of: \(known))"))
            return nil
        }
        var spec = IngressSpec(verify: verify)
        spec.secretEnv = envName(node["secret_env"], &problems)
        spec.aesKeyEnv = envName(node["aes_key_env"], &problems)
        spec.receiverID = node["receiver_id"]?.string(&problems)
        spec.receiverIDEnv = envName(node["receiver_id_env"], &problems)
        if verify != .none && spec.secretEnv == nil {
            problems.append(node.problem("verify: \(verify.rawValue) needs secret_env (the environment variable holding the secret)", field: node.child("secret_env")))
        }
        if verify == .wecom && (spec.receiverID ?? "").isEmpty && spec.receiverIDEnv == nil {
            problems.append(node.problem(
                "verify: wecom needs receiver_id (the corp id messages must be addressed to) or receiver_id_env (the variable holding it)",
                field: node.child("receiver_id")))
        }
        if verify == .wecom && spec.aesKeyEnv == nil {
            problems.append(node.problem("verify: wecom needs aes_key_env (the environment variable holding the EncodingAESKey)", field: node.child("aes_key_env")))
        }
        if let value = node["header"]?.string(&problems) { spec.header = value }
        if let value = node["timestamp_header"]?.string(&problems) { spec.timestampHeader = value }
        if let child = node["replay_window_seconds"], let value = child.int(&problems) {
            if value < 1 { problems.append(child.problem("replay_window_seconds must be positive")) }
            spec.replayWindowSeconds = max(1, value)
        }
        if let child = node["max_body_bytes"], let value = child.int(&problems) {
            if value < 1 { problems.append(child.problem("max_body_bytes must be positive")) }
            spec.maxBodyBytes = max(1, value)
        }
        if let child = node["rate_per_second"], let value = child.double(&problems) {
            if value <= 0 { problems.append(child.problem("rate_per_second must be positive")) }
            spec.ratePerSecond = max(0.001, value)
            spec.burst = max(1, spec.ratePerSecond)
        }
        if let child = node["burst"], let value = child.double(&problems) {
            if value < 1 { problems.append(child.problem("burst must be at least 1")) }
            spec.burst = max(1, value)
        }
        spec.sourceRatePerSecond = spec.ratePerSecond
        spec.sourceBurst = spec.burst
        if let child = node["source_rate_per_second"], let value = child.double(&problems) {
            if value <= 0 { problems.append(child.problem("source_rate_per_second must be positive")) }
            spec.sourceRatePerSecond = max(0.001, value)
            spec.sourceBurst = max(1, spec.sourceRatePerSecond)
        }
        if let child = node["source_burst"], let value = child.double(&problems) {
            if value < 1 { problems.append(child.problem("source_burst must be at least 1")) }
            spec.sourceBurst = max(1, value)
        }
        if let child = node["content_types"], let value = child.strings(&problems) {
            if value.isEmpty { problems.append(child.problem("content_types lists nothing")) }
            spec.contentTypes = value
        }
        if let child = node["topic"], let value = child.string(&problems) {
            if !inputTopics.contains(value) {
                problems.append(child.problem("ingress topic \(value) is not one of the connector's input topics"))
            }
            spec.topic = value
        }
        spec.ceType = node["ce_type"]?.string(&problems)
        spec.publicURL = node["public_url"]?.string(&problems)
        if let child = node["delivery_timeout_ms"], let value = child.int(&problems) {
            if value < 100 { problems.append(child.problem("delivery_timeout_ms must be at least 100")) }
            spec.deliveryTimeoutMs = max(100, value)
        }
        return spec
    }

    /// An environment variable name (not a secret: a value that looks like one is refused).
    private static func envName(_ node: ConfigNode?, _ problems: inout [ConfigProblem]) -> String? {
        guard let node, let text = node.string(&problems) else { return nil }
        let valid = !text.isEmpty && text.utf8.allSatisfy { byte in
            (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x30 && byte <= 0x39) || byte == 0x5F
        }
        guard valid else {
            problems.append(node.problem("expected the NAME of an environment variable (A-Z, 0-9, _); secrets never go in connector files"))
            return nil
        }
        return text
    }
}
