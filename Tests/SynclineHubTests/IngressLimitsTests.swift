import Foundation
import Logging
import SynclineAdmin
import SynclineMapping
import SynclineHub
import SynclineKafka
import SynclineSecurity
import Synchronization
import Testing

@Suite("Webhook ingress limits, durability and log hygiene over real HTTP", .serialized)
struct IngressLimitsTests {
    @Test("oversized → 413, wrong content type → 415, over the rate → 429 with Retry-After, unknown connector → 404, missing secret → 503; each counted")
    func limits() async throws {
        let hub = try await IngressHarness.start(
            connectors: [
                "small.yaml": IngressHarness.connector("small", ingress: "{verify: none, max_body_bytes: 64, rate_per_second: 0.01, burst: 1, source_rate_per_second: 0.01, source_burst: 4}"),
                "unset.yaml": IngressHarness.connector("unset", ingress: "{verify: hmac, secret_env: SYNCLINE_TEST_NEVER_SET_\(Int.random(in: 1000...9999))}"),
            ],
            topics: IngressHarness.topics(["small", "unset"]))
        let json = ["Content-Type": "application/json"]
        let big = try await hub.send("POST", "/ingest/small", headers: json, body: Array(repeating: UInt8(ascii: "x"), count: 65))
        #expect(big.status == 413)
        let text = try await hub.send("POST", "/ingest/small", headers: ["Content-Type": "text/plain"], body: Array("{}".utf8))
        #expect(text.status == 415)
        // The sending address's bucket (burst 4) is taken first, so the two refusals above took two of
        // its tokens; the connector's bucket (burst 1) only by requests that got past the checks.
        #expect(try await hub.send("POST", "/ingest/small", headers: json, body: Array(#"{"id":"a"}"#.utf8)).status == 200)
        let limited = try await hub.send("POST", "/ingest/small", headers: json, body: Array(#"{"id":"b"}"#.utf8))
        #expect(limited.status == 429)
        #expect(limited.text.contains(#""rate_limited""#))
        #expect(Int(limited.headers["retry-after"] ?? "") ?? 0 >= 1)
        // The address has used its four tokens: the next request is refused before anything else.
        let flooded = try await hub.send("POST", "/ingest/small", headers: json, body: Array(#"{"id":"c"}"#.utf8))
        #expect(flooded.status == 429)
        #expect(flooded.text.contains(#""source_rate_limited""#))
        #expect(try await hub.send("POST", "/ingest/nope", headers: json, body: Array("{}".utf8)).status == 404)
        #expect(try await hub.send("POST", "/ingest/small/twilio", headers: json, body: Array("{}".utf8)).status == 404)
        let unset = try await hub.send("POST", "/ingest/unset", headers: json, body: Array("{}".utf8))
        #expect(unset.status == 503)
        #expect(!unset.text.contains("SYNCLINE_TEST_NEVER_SET"))
        let metrics = try await hub.metrics()
        for line in [
            #"syncline_ingress_rejected_total{connector="small",reason="body_too_large"} 1"#,
            #"syncline_ingress_rejected_total{connector="small",reason="unsupported_media_type"} 1"#,
            #"syncline_ingress_rejected_total{connector="small",reason="rate_limited"} 1"#,
            #"syncline_ingress_rejected_total{connector="small",reason="source_rate_limited"} 1"#,
            #"syncline_ingress_rejected_total{connector="_unknown",reason="unknown_connector"} 2"#,
            #"syncline_ingress_rejected_total{connector="unset",reason="not_configured"} 1"#,
            #"syncline_ingress_requests_total{connector="small",status="429"} 2"#,
        ] {
            #expect(metrics.contains(line), "missing \(line)")
        }
        let stored = try await hub.records("raw.hooks.small.v1")
        #expect(stored.map(\.value) == [Array(#"{"id":"a"}"#.utf8)], "only the accepted body is published")
        try await hub.stop()
    }

    @Test("acknowledged means durable: with the raw topic's leader down requests get 503 + Retry-After and none is half-published; afterwards the topic holds exactly the 2xx bodies")
    func brokerOutage() async throws {
        let hub = try await IngressHarness.start(
            connectors: ["hooks.yaml": IngressHarness.connector("hooks", ingress: "{verify: none, delivery_timeout_ms: 2000, rate_per_second: 1000}", eventID: "id")],
            topics: IngressHarness.topics(["hooks"]))
        let cluster = try #require(hub.app.cluster)
        cluster.setPartitionLeader(topic: "raw.hooks.hooks.v1", partition: 0, broker: 1)
        let json = ["Content-Type": "application/json"]
        var acknowledged: [String] = []
        var refused: [String] = []
        func post(_ id: String) async throws -> IngressHarness.Answer {
            let answer = try await hub.send("POST", "/ingest/hooks", headers: json, body: Array(#"{"id":"\#(id)"}"#.utf8))
            if answer.status == 200 { acknowledged.append(id) } else { refused.append(id) }
            return answer
        }
        for index in 0..<5 { #expect(try await post("before-\(index)").status == 200) }
        cluster.setBrokerDown(1)
        for index in 0..<3 {
            let answer = try await post("during-\(index)")
            #expect(answer.status == 503)
            #expect(answer.headers["retry-after"] != nil)
        }
        cluster.setBrokerUp(1)
        // The sender retries after Retry-After; once the broker is back, requests succeed again.
        let deadline = ContinuousClock.now + .seconds(60)
        var after = 0
        while after < 3 && ContinuousClock.now < deadline {
            if try await post("after-\(after)-\(refused.count)").status == 200 { after += 1 } else { try await Task.sleep(for: .milliseconds(500)) }
        }
        #expect(after == 3)
        let stored = try await hub.waitForRecords("raw.hooks.hooks.v1", count: acknowledged.count)
        let ids = stored.compactMap { $0.key.map { String(decoding: $0, as: UTF8.self) } }
        #expect(ids.sorted() == acknowledged.sorted(), "every 2xx body is on the topic, and only those")
        #expect(Set(ids).isDisjoint(with: refused))
        let metrics = try await hub.metrics()
        #expect(metrics.contains(#"syncline_ingress_rejected_total{connector="hooks",reason="kafka_unavailable"} "#))
        try await hub.stop()
    }

    @Test("log scan: during an end-to-end run at trace level no secret, admin token, phone number or email reaches the logs unmasked")
    func logScan() async throws {
        let sink = LogLines()
        var logger = Logger(label: "syncline") { _ in MaskingLogHandler(wrapping: LineCollector(sink: sink)) }
        logger.logLevel = .trace
        let secret = "hmac-log-scan-\(UUID().uuidString)"
        let variable = IngressHarness.secretVariable(secret)
        let token = "admin-token-\(UUID().uuidString)"
        PIIMasker.registerSecrets([token])
        let hub = try await IngressHarness.start(
            connectors: ["scan.yaml": IngressHarness.connector("scan", ingress: "{verify: hmac, secret_env: \(variable)}", eventID: "event_id")],
            topics: IngressHarness.topics(["scan"]), token: token, logger: logger)
        let body = Array(#"{"event_id":"evt-scan","phone":"+8613812348000","mobile":"13912345678","email":"zhang.san@example.com","text":{"content":"please call me"}}"#.utf8)
        let timestamp = IngressHarness.now()
        let signature = HMACWebhookSignature.sign(secret: secret, timestamp: timestamp, body: body)
        let headers = ["Content-Type": "application/json", "X-Syncline-Timestamp": timestamp, "X-Syncline-Signature": signature]
        #expect(try await hub.send("POST", "/ingest/scan", headers: headers, body: body).status == 200)
        #expect(try await hub.send("POST", "/ingest/scan", headers: headers, body: body).status == 401)
        _ = try await hub.admin("POST", "/api/v1/connectors/scan/pause", headers: ["Authorization": "Bearer wrong-\(token)"])
        _ = try await hub.waitForRecords("hub.hooks.scan.v1", count: 1)
        // Code that logs personal data by mistake is masked too.
        logger.warning("lookup failed for +8613812348000 / zhang.san@example.com with Bearer \(token) and key \(secret)")
        try await hub.stop()
        let lines = sink.lines
        #expect(lines.count > 10, "the run logged (\(lines.count) lines)")
        let all = lines.joined(separator: "\n")
        for leaked in [secret, token, "+8613812348000", "13812348000", "13912345678", "zhang.san@example.com", "please call me"] {
            #expect(!all.contains(leaked), "\(leaked) reached the logs")
        }
        #expect(all.contains("+86138****8000"))
        #expect(all.contains("z***@example.com"))
    }
}

/// Log lines collected during a test.
final class LogLines: Sendable {
    private let store = Mutex<[String]>([])
    func append(_ line: String) { store.withLock { $0.append(line) } }
    var lines: [String] { store.withLock { $0 } }
}

/// Renders every event — message, handler and event metadata, error — into one collected line.
struct LineCollector: LogHandler {
    let sink: LogLines
    var logLevel: Logger.Level = .trace
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { _, new in new }
        let rendered = merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        sink.append("\(event.level) \(event.message) \(rendered) \(event.error.map { "\($0)" } ?? "")")
    }
}
