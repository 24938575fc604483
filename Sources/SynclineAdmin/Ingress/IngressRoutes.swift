import Foundation
public import Hummingbird
public import Logging
import NIOCore
import SynclineMapping
import SynclineSecurity

/// The webhook ingress: `POST /ingest/{connector}` and the vendor paths
/// (`GET|POST /ingest/{connector}/wecom`, `POST /ingest/{connector}/{twilio|zendesk|hmac}`),
/// served on its own listener (`IngressServer`).
/// Order of checks: connector (404) → the sending address's bucket (429 `source_rate_limited`) →
/// secret configured (503) → content type (415) → size (413) → signature and timestamp (401) →
/// replay guard on the decoded MAC (401 `replayed`, or 409 + `Retry-After` while the same signed
/// request is being published) → the connector's bucket (429) → publish, answering 2xx only once
/// the brokers acknowledged (503 with `Retry-After` when they did not, and the replay key is
/// released so the vendor's retry succeeds). Every refusal is counted with its reason.
public struct IngressRoutes: Sendable {
    public let endpoints: [String: IngressEndpoint]
    public let sink: any IngressSink
    /// Seconds a sender is asked to wait after a Kafka outage answer.
    public let outageRetryAfterSeconds: Int

    public init(endpoints: [IngressEndpoint], sink: any IngressSink, outageRetryAfterSeconds: Int = 5) {
        self.endpoints = Dictionary(endpoints.map { ($0.connector.name, $0) }) { first, _ in first }
        self.sink = sink
        self.outageRetryAfterSeconds = outageRetryAfterSeconds
    }

    /// Connectors whose ingress skips verification (`verify: none`): allowed on loopback only.
    public var unverifiedConnectors: [String] {
        endpoints.values.filter { $0.ingress.verify == .none }.map(\.connector.name).sorted()
    }

    /// Mounts the routes on the ingress listener's router.
    public func add(to router: Router<IngressRequestContext>, logger: Logger) {
        router.post("ingest/:connector") { request, context in
            await handle(request, connector: context.parameters.get("connector") ?? "", vendor: nil, source: context.sourceAddress, logger: logger)
        }
        router.post("ingest/:connector/:vendor") { request, context in
            await handle(
                request, connector: context.parameters.get("connector") ?? "", vendor: context.parameters.get("vendor"),
                source: context.sourceAddress, logger: logger)
        }
        router.get("ingest/:connector/:vendor") { request, context in
            await handle(
                request, connector: context.parameters.get("connector") ?? "", vendor: context.parameters.get("vendor"),
                source: context.sourceAddress, logger: logger)
        }
    }

    func handle(_ request: Request, connector name: String, vendor: String?, source: String, logger: Logger) async -> Response {
        guard let endpoint = endpoints[name], vendor == nil || vendor == endpoint.ingress.verify.rawValue else {
            // Unknown names share one label so callers cannot grow the metric's cardinality.
            return refuse(.unknownConnector, connector: "_unknown", logger: logger)
        }
        if let wait = endpoint.throttle(source: source) {
            return refuse(.sourceRateLimited, connector: name, logger: logger, retryAfter: wait)
        }
        let verifier: WebhookVerifier
        switch endpoint.verifier {
        case .success(let value): verifier = value
        case .failure(let rejection): return refuse(rejection, connector: name, logger: logger, retryAfter: outageRetryAfterSeconds)
        }
        let spec = endpoint.ingress
        if request.method == .post && !spec.accepts(contentType: request.headers[.contentType]) {
            return refuse(.unsupportedMediaType, connector: name, logger: logger)
        }
        if let length = request.headers[.contentLength].flatMap(Int.init), length > spec.maxBodyBytes {
            return refuse(.bodyTooLarge, connector: name, logger: logger)
        }
        let body: [UInt8]
        do {
            var buffer = try await request.body.collect(upTo: spec.maxBodyBytes)
            body = buffer.readBytes(length: buffer.readableBytes) ?? []
        } catch is NIOTooManyBytesError {
            return refuse(.bodyTooLarge, connector: name, logger: logger)
        } catch {
            return refuse(.malformed, connector: name, logger: logger)
        }
        let receivedMs = EpochClock.nowMs()
        let webhook = WebhookRequest(
            method: request.method.rawValue, url: Self.signedURL(request, publicURL: spec.publicURL),
            query: Self.query(request), headers: Self.headers(request), body: body)
        let verdict: WebhookVerdict
        do throws(WebhookRejection) {
            verdict = try verifier.verify(webhook, now: Date(timeIntervalSince1970: Double(receivedMs) / 1000))
        } catch {
            return refuse(error, connector: name, logger: logger)
        }
        switch verdict {
        case .answer(let text):
            sink.count(MetricNames.ingressRequests, ["connector": name, "status": "200"])
            return Response(status: .ok, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: text)))
        case .publish(let payload, let replayKey):
            if let replayKey {
                switch endpoint.replayGuard.reserve(replayKey, nowSeconds: Double(receivedMs) / 1000) {
                case .reserved: break
                case .replayed: return refuse(.replayed, connector: name, logger: logger)
                case .inFlight:
                    // The first attempt may still fail: ask for a retry once it has been answered.
                    let wait = max(1, (spec.deliveryTimeoutMs + 999) / 1000)
                    return refuse(.inFlight, connector: name, logger: logger, retryAfter: wait)
                }
            }
            if let wait = endpoint.throttle() {
                if let replayKey { endpoint.replayGuard.release(replayKey) }
                return refuse(.rateLimited, connector: name, logger: logger, retryAfter: wait)
            }
            let requestID = UUID().uuidString.lowercased()
            let record = IngressRecordBuilder.record(
                body: payload, endpoint: endpoint, format: Self.format(endpoint), requestID: requestID, receivedMs: receivedMs,
                traceparent: webhook.header("traceparent"))
            do {
                let receipt = try await sink.publish(record, timeoutMs: spec.deliveryTimeoutMs)
                if let replayKey { endpoint.replayGuard.accept(replayKey) }
                sink.count(MetricNames.ingressRequests, ["connector": name, "status": "200"])
                logger.debug("ingress accepted", metadata: [
                    "connector": "\(name)", "topic": "\(receipt.topic)", "partition": "\(receipt.partition)", "offset": "\(receipt.offset)",
                ])
                return Self.accepted(spec.verify, receipt: receipt, id: String(decoding: record.key ?? [], as: UTF8.self))
            } catch {
                if let replayKey { endpoint.replayGuard.release(replayKey) }
                logger.warning("ingress: the brokers did not acknowledge; answering 503", metadata: ["connector": "\(name)", "error": "\(error)"])
                return refuse(.kafkaUnavailable, connector: name, logger: logger, retryAfter: outageRetryAfterSeconds)
            }
        }
    }

    func refuse(_ rejection: WebhookRejection, connector: String, logger: Logger, retryAfter: Int? = nil) -> Response {
        sink.count(MetricNames.ingressRejected, ["connector": connector, "reason": rejection.rawValue])
        sink.count(MetricNames.ingressRequests, ["connector": connector, "status": String(rejection.status)])
        if rejection != .kafkaUnavailable {
            logger.notice("ingress refused a request", metadata: ["connector": "\(connector)", "reason": "\(rejection.rawValue)"])
        }
        let text = #"{"error":"\#(rejection.rawValue)","message":"\#(rejection.message)"}"#
        var headers: HTTPFields = [.contentType: "application/json"]
        if let retryAfter { headers[.retryAfter] = String(retryAfter) }
        if rejection.status == 401 { headers[.wwwAuthenticate] = "Signature" }
        return Response(status: .init(code: rejection.status), headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// What the vendor expects on success: TwiML for Twilio, an empty 200 for WeCom, JSON otherwise.
    static func accepted(_ scheme: IngressSpec.Verification, receipt: IngressReceipt, id: String) -> Response {
        switch scheme {
        case .twilio:
            return Response(
                status: .ok, headers: [.contentType: "text/xml"],
                body: .init(byteBuffer: ByteBuffer(string: #"<?xml version="1.0" encoding="UTF-8"?><Response></Response>"#)))
        case .wecom:
            return Response(status: .ok, headers: [.contentType: "text/plain"], body: .init(byteBuffer: ByteBuffer()))
        case .hmac, .zendesk, .none:
            let escapedID = id.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            let text = #"{"status":"accepted","id":"\#(escapedID)","topic":"\#(receipt.topic)","partition":\#(receipt.partition),"offset":\#(receipt.offset)}"#
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: text)))
        }
    }

    /// The body format used to find the id and time: the scheme's when the vendor fixes it.
    static func format(_ endpoint: IngressEndpoint) -> PayloadFormat {
        switch endpoint.ingress.verify {
        case .twilio: return .form
        case .wecom: return .xml
        case .hmac, .zendesk, .none: return endpoint.connector.format
        }
    }

    /// The URL the sender signed: `public_url` (plus the query) when configured, else rebuilt from
    /// `X-Forwarded-Proto` (or http), the Host and the request target.
    static func signedURL(_ request: Request, publicURL: String?) -> String {
        let target = request.uri.description
        if let publicURL {
            guard let queryStart = target.firstIndex(of: "?") else { return publicURL }
            return publicURL + target[queryStart...]
        }
        let headers = Self.headers(request)
        let scheme = headers["x-forwarded-proto"] ?? "http"
        let host = request.head.authority ?? headers["host"] ?? "localhost"
        return "\(scheme)://\(host)\(target)"
    }

    static func query(_ request: Request) -> [String: String] {
        var result: [String: String] = [:]
        for (key, value) in request.uri.queryParameters { result[String(key)] = String(value) }
        return result
    }

    static func headers(_ request: Request) -> [String: String] {
        var result: [String: String] = [:]
        for field in request.headers { result[field.name.canonicalName] = field.value }
        return result
    }
}
