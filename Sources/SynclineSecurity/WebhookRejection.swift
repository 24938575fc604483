/// Why the ingress refused a request: the HTTP status it answers and the `reason` metric label.
public enum WebhookRejection: String, Error, Sendable, Equatable, CaseIterable {
    case unknownConnector = "unknown_connector"
    case wrongMethod = "wrong_method"
    case rateLimited = "rate_limited"
    /// The sending address's own bucket is empty (checked before the signature).
    case sourceRateLimited = "source_rate_limited"
    case unsupportedMediaType = "unsupported_media_type"
    case bodyTooLarge = "body_too_large"
    case missingSignature = "missing_signature"
    case badSignature = "bad_signature"
    case missingTimestamp = "missing_timestamp"
    case staleTimestamp = "stale_timestamp"
    case replayed = "replayed"
    /// The same signed request is being published right now: retry after `Retry-After`.
    case inFlight = "in_flight"
    case wrongReceiver = "wrong_receiver"
    case malformed = "malformed"
    case notConfigured = "not_configured"
    case kafkaUnavailable = "kafka_unavailable"

    /// The HTTP status code answered.
    public var status: Int {
        switch self {
        case .unknownConnector: return 404
        case .wrongMethod: return 405
        case .rateLimited, .sourceRateLimited: return 429
        case .inFlight: return 409
        case .unsupportedMediaType: return 415
        case .bodyTooLarge: return 413
        case .missingSignature, .badSignature, .missingTimestamp, .staleTimestamp, .replayed, .wrongReceiver: return 401
        case .malformed: return 400
        case .notConfigured, .kafkaUnavailable: return 503
        }
    }

    /// A short, secret-free explanation for the response body.
    public var message: String {
        switch self {
        case .unknownConnector: return "no connector with webhook ingress has this name"
        case .wrongMethod: return "this method is not accepted here"
        case .rateLimited: return "too many requests; retry later"
        case .sourceRateLimited: return "too many requests from this address; retry later"
        case .inFlight: return "this signed request is being stored now; retry later"
        case .unsupportedMediaType: return "content type not accepted by this connector's ingress"
        case .bodyTooLarge: return "request body too large"
        case .missingSignature: return "the request is not signed"
        case .badSignature: return "the signature does not verify"
        case .missingTimestamp: return "the signed timestamp is missing"
        case .staleTimestamp: return "the signed timestamp is outside the replay window"
        case .replayed: return "this signed request was already accepted"
        case .wrongReceiver: return "the message is addressed to another receiver"
        case .malformed: return "the request could not be read"
        case .notConfigured: return "this connector's ingress secret is not configured"
        case .kafkaUnavailable: return "the event could not be stored; retry later"
        }
    }
}
