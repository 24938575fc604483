import Foundation
import Logging
import SynclineAdmin
import SynclineMapping
import SynclineHub
import SynclineKafka
import SynclineSecurity
import Testing

@Suite("Webhook ingress security over real listeners: replays by re-encoding, in-flight duplicates, unspendable rate limits, a listener of its own", .serialized)
struct IngressSecurityTests {
    static let json = ["Content-Type": "application/json"]

    @Test("a replay with the signature re-encoded is refused for every scheme: hmac (upper-case hex, sha256=, base64), zendesk and twilio (hex, unpadded base64), wecom (upper-case hex); each body is published once")
    func reencodedReplays() async throws {
        let hmacSecret = IngressHarness.secretVariable("hmac-\(UUID().uuidString)")
        let zendeskSecret = IngressHarness.secretVariable("zendesk-\(UUID().uuidString)")
        let twilioToken = IngressHarness.secretVariable("twilio-\(UUID().uuidString)")
        let wecomToken = IngressHarness.secretVariable("wecomtoken\(Int.random(in: 1000...9999))")
        let wecomKey = IngressHarness.secretVariable(IngressEndToEndTests.aesKey)
        let corp = IngressHarness.secretVariable("ww-corp-7")
        let env = ProcessInfo.processInfo.environment
        let hub = try await IngressHarness.start(
            connectors: [
                "generic.yaml": IngressHarness.connector("generic", ingress: "{verify: hmac, secret_env: \(hmacSecret)}", eventID: "event_id"),
                "desk.yaml": IngressHarness.connector("desk", ingress: "{verify: zendesk, secret_env: \(zendeskSecret)}", eventID: "id"),
                "calls.yaml": IngressHarness.connector("calls", ingress: "{verify: twilio, secret_env: \(twilioToken)}", format: "form"),
                "chat.yaml": IngressHarness.connector(
                    "chat", ingress: "{verify: wecom, secret_env: \(wecomToken), aes_key_env: \(wecomKey), receiver_id_env: \(corp)}", format: "xml"),
            ],
            topics: IngressHarness.topics(["generic", "desk", "calls", "chat"]))

        // Generic HMAC: every spelling of the one MAC is the same signed request.
        let body = Array(#"{"event_id":"evt-r1","phone":"+8613812348000"}"#.utf8)
        let timestamp = IngressHarness.now()
        let hex = HMACWebhookSignature.sign(secret: env[hmacSecret] ?? "", timestamp: timestamp, body: body)
        func generic(_ signature: String) async throws -> IngressHarness.Answer {
            try await hub.send("POST", "/ingest/generic", headers: [
                "Content-Type": "application/json", "X-Syncline-Timestamp": timestamp, "X-Syncline-Signature": signature,
            ], body: body)
        }
        #expect(try await generic(hex).status == 200)
        for spelling in [hex, hex.uppercased(), "sha256=" + hex, Data(Hex.decode(hex) ?? []).base64EncodedString()] {
            let answer = try await generic(spelling)
            #expect(answer.status == 401, "\(spelling): \(answer.text)")
            #expect(answer.text.contains("replayed"))
        }

        // Zendesk: base64 is its only encoding; hex of the right MAC is not a signature.
        let deskBody = Array(#"{"id":"zd-r1"}"#.utf8)
        let zendeskTime = ISO8601DateFormatter().string(from: Date())
        let zendeskSignature = ZendeskSignature.sign(secret: env[zendeskSecret] ?? "", timestamp: zendeskTime, body: deskBody)
        func desk(_ signature: String) async throws -> IngressHarness.Answer {
            try await hub.send("POST", "/ingest/desk/zendesk", headers: [
                "Content-Type": "application/json", ZendeskSignature.timestampHeader: zendeskTime, ZendeskSignature.signatureHeader: signature,
            ], body: deskBody)
        }
        #expect(try await desk(zendeskSignature).status == 200)
        let zendeskHex = Hex.encode(Data(base64Encoded: zendeskSignature) ?? Data())
        for spelling in [zendeskSignature, zendeskHex, zendeskHex.uppercased(), zendeskSignature.replacingOccurrences(of: "=", with: "")] {
            #expect(try await desk(spelling).status == 401, "\(spelling)")
        }

        // Twilio: the same.
        let parameters: [(name: String, value: String)] = [("CallSid", "CA-r1"), ("From", "+14155550100"), ("CallStatus", "ringing")]
        let form = TwilioSignature.formBody(parameters)
        let twilioSignature = TwilioSignature.sign(authToken: env[twilioToken] ?? "", url: hub.base + "/ingest/calls/twilio", parameters: parameters)
        func calls(_ signature: String) async throws -> IngressHarness.Answer {
            try await hub.send("POST", "/ingest/calls/twilio", headers: [
                "Content-Type": "application/x-www-form-urlencoded", TwilioSignature.header: signature,
            ], body: form)
        }
        #expect(try await calls(twilioSignature).status == 200)
        let twilioHex = Hex.encode(Data(base64Encoded: twilioSignature) ?? Data())
        for spelling in [twilioSignature, twilioHex, twilioSignature.replacingOccurrences(of: "=", with: "")] {
            #expect(try await calls(spelling).status == 401, "\(spelling)")
        }

        // WeCom: lower-case hex as WeCom sends it; the upper-case spelling is not accepted.
        let crypto = try WeComCrypto(token: env[wecomToken] ?? "", encodingAESKey: IngressEndToEndTests.aesKey, receiverID: "ww-corp-7")
        let message = "<xml><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[hi]]></Content><MsgId>8001</MsgId></xml>"
        let encrypted = try crypto.encrypt(Array(message.utf8), random: (0..<16).map { _ in UInt8.random(in: 0...255) })
        let wecomTime = IngressHarness.now()
        let wecomSignature = crypto.signature(timestamp: wecomTime, nonce: "n-r1", encrypted: encrypted)
        func chat(_ signature: String) async throws -> IngressHarness.Answer {
            try await hub.send(
                "POST", "/ingest/chat/wecom?msg_signature=\(signature)&timestamp=\(wecomTime)&nonce=n-r1",
                headers: ["Content-Type": "text/xml"], body: crypto.callbackBody(encrypted: encrypted))
        }
        #expect(try await chat(wecomSignature).status == 200)
        for spelling in [wecomSignature, wecomSignature.uppercased()] {
            #expect(try await chat(spelling).status == 401, "\(spelling)")
        }

        for name in ["generic", "desk", "calls", "chat"] {
            _ = try await hub.waitForRecords("hub.hooks.\(name).v1", count: 1)
            #expect(try await hub.records("raw.hooks.\(name).v1").count == 1, "raw.hooks.\(name).v1 holds the request once")
        }
        let metrics = try await hub.metrics()
        for line in [
            #"syncline_ingress_rejected_total{connector="generic",reason="replayed"} 4"#,
            #"syncline_ingress_rejected_total{connector="desk",reason="replayed"} 1"#,
            #"syncline_ingress_rejected_total{connector="desk",reason="bad_signature"} 3"#,
            #"syncline_ingress_rejected_total{connector="calls",reason="bad_signature"} 2"#,
            #"syncline_ingress_rejected_total{connector="chat",reason="bad_signature"} 1"#,
        ] {
            #expect(metrics.contains(line), "missing \(line)")
        }
        try await hub.stop()
    }

    @Test("a duplicate that arrives while the first is still being published gets 409 + Retry-After; when the first then fails (503) the vendor's retry succeeds, once")
    func inFlightDuplicate() async throws {
        let secret = IngressHarness.secretVariable("inflight-\(UUID().uuidString)")
        // A long delivery timeout so that the two copies overlap even on a loaded machine.
        let hub = try await IngressHarness.start(
            connectors: ["hooks.yaml": IngressHarness.connector(
                "hooks", ingress: "{verify: hmac, secret_env: \(secret), delivery_timeout_ms: 15000}", eventID: "id")],
            topics: IngressHarness.topics(["hooks"]))
        let cluster = try #require(hub.app.cluster)
        cluster.setPartitionLeader(topic: "raw.hooks.hooks.v1", partition: 0, broker: 1)
        let body = Array(#"{"id":"wecom-style-retry"}"#.utf8)
        let timestamp = IngressHarness.now()
        let headers = [
            "Content-Type": "application/json", "X-Syncline-Timestamp": timestamp,
            "X-Syncline-Signature": HMACWebhookSignature.sign(secret: ProcessInfo.processInfo.environment[secret] ?? "", timestamp: timestamp, body: body),
        ]
        cluster.setBrokerDown(1)
        // The vendor's first delivery and its retry 2 s later, while the first is still being published.
        let first = Task { try await hub.send("POST", "/ingest/hooks", headers: headers, body: body) }
        try await Task.sleep(for: .seconds(2))
        let second = Task { try await hub.send("POST", "/ingest/hooks", headers: headers, body: body) }
        let answers = [try await first.value, try await second.value]
        let duplicate = try #require(answers.first { $0.status == 409 }, "one copy is told it is in flight: \(answers.map(\.status))")
        #expect(duplicate.text.contains("in_flight"))
        #expect(duplicate.headers["retry-after"] == "15")
        let failed = try #require(answers.first { $0.status != 409 })
        #expect(failed.status == 503, "the copy being published fails with the broker down: \(failed.text)")
        cluster.setBrokerUp(1)
        // The vendor retries the same signed request (its timestamp is still fresh).
        var retried = failed
        let deadline = ContinuousClock.now + .seconds(60)
        while retried.status != 200 && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(500))
            retried = try await hub.send("POST", "/ingest/hooks", headers: headers, body: body)
            #expect(retried.status == 200 || retried.status == 503 || retried.status == 409, "\(retried.status) \(retried.text)")
        }
        #expect(retried.status == 200)
        let again = try await hub.send("POST", "/ingest/hooks", headers: headers, body: body)
        #expect(again.status == 401)
        #expect(again.text.contains("replayed"))
        let stored = try await hub.waitForRecords("raw.hooks.hooks.v1", count: 1)
        #expect(stored.count == 1, "published once")
        let metrics = try await hub.metrics()
        #expect(metrics.contains(#"syncline_ingress_rejected_total{connector="hooks",reason="in_flight"} 1"#))
        try await hub.stop()
    }

    @Test("unsigned floods cannot spend the connector's bucket: bad signatures get 401, never 429, and signed requests still pass; replays take no token; one address's flood meets its own bucket")
    func unspendableRateLimits() async throws {
        let secret = IngressHarness.secretVariable("rate-\(UUID().uuidString)")
        let hub = try await IngressHarness.start(
            connectors: [
                "paid.yaml": IngressHarness.connector(
                    "paid", ingress: "{verify: hmac, secret_env: \(secret), rate_per_second: 0.01, burst: 2, source_rate_per_second: 1000}", eventID: "id"),
                "flood.yaml": IngressHarness.connector(
                    "flood", ingress: "{verify: hmac, secret_env: \(secret), rate_per_second: 1000, source_rate_per_second: 0.01, source_burst: 3}", eventID: "id"),
            ],
            topics: IngressHarness.topics(["paid", "flood"]))
        let value = ProcessInfo.processInfo.environment[secret] ?? ""
        func signed(_ id: String) -> (headers: [String: String], body: [UInt8]) {
            let body = Array(#"{"id":"\#(id)"}"#.utf8)
            let timestamp = IngressHarness.now()
            return ([
                "Content-Type": "application/json", "X-Syncline-Timestamp": timestamp,
                "X-Syncline-Signature": HMACWebhookSignature.sign(secret: value, timestamp: timestamp, body: body),
            ], body)
        }
        for index in 0..<10 {
            let forged = try await hub.send("POST", "/ingest/paid", headers: [
                "Content-Type": "application/json", "X-Syncline-Timestamp": IngressHarness.now(), "X-Syncline-Signature": String(repeating: "ab", count: 32),
            ], body: Array(#"{"id":"forged-\#(index)"}"#.utf8))
            #expect(forged.status == 401)
        }
        let first = signed("real-1")
        #expect(try await hub.send("POST", "/ingest/paid", headers: first.headers, body: first.body).status == 200)
        // A replay of it is refused as a replay and takes no token from the connector's bucket.
        #expect(try await hub.send("POST", "/ingest/paid", headers: first.headers, body: first.body).status == 401)
        let second = signed("real-2")
        #expect(try await hub.send("POST", "/ingest/paid", headers: second.headers, body: second.body).status == 200)
        let third = signed("real-3")
        let limited = try await hub.send("POST", "/ingest/paid", headers: third.headers, body: third.body)
        #expect(limited.status == 429)
        #expect(limited.text.contains(#""rate_limited""#))

        // The flood connector's per-address bucket (burst 3) is taken before the signature is looked at.
        for _ in 0..<3 {
            #expect(try await hub.send("POST", "/ingest/flood", headers: Self.json, body: Array("{}".utf8)).status == 401)
        }
        let flooded = try await hub.send("POST", "/ingest/flood", headers: Self.json, body: Array("{}".utf8))
        #expect(flooded.status == 429)
        #expect(flooded.text.contains("source_rate_limited"))
        #expect(Int(flooded.headers["retry-after"] ?? "") ?? 0 >= 1)
        let stored = try await hub.waitForRecords("raw.hooks.paid.v1", count: 2)
        #expect(Set(stored.compactMap { $0.key.map { String(decoding: $0, as: UTF8.self) } }) == ["real-1", "real-2"])
        let metrics = try await hub.metrics()
        #expect(metrics.contains(#"syncline_ingress_rejected_total{connector="paid",reason="bad_signature"} 10"#))
        #expect(metrics.contains(#"syncline_ingress_rejected_total{connector="flood",reason="source_rate_limited"} 1"#))
        try await hub.stop()
    }

    @Test("the ingress listener serves only /ingest: every admin route answers 404 there, and the admin listener serves no /ingest route")
    func listenersAreSeparate() async throws {
        let hub = try await IngressHarness.start(
            connectors: ["open.yaml": IngressHarness.connector("open", ingress: "{verify: none}")],
            topics: IngressHarness.topics(["open"]), token: "tok-\(UUID().uuidString)")
        #expect(hub.base != hub.adminBase)
        for path in ["/", "/metrics", "/healthz", "/readyz", "/api/v1/connectors", "/api/v1/dlq", "/api/v1/alerts", "/api/v1/latency/samples", "/api/v1/channels/health"] {
            let answer = try await hub.send("GET", path)
            #expect(answer.status == 404, "ingress GET \(path) answered \(answer.status)")
        }
        #expect(try await hub.send("POST", "/api/v1/connectors/open/pause").status == 404)
        #expect(try await hub.send("POST", "/ingest/open", headers: Self.json, body: Array(#"{"id":"x"}"#.utf8)).status == 200)
        let onAdmin = try await hub.call(hub.adminBase, "POST", "/ingest/open", headers: Self.json, body: Array(#"{"id":"y"}"#.utf8))
        #expect(onAdmin.status == 404)
        try await hub.stop()
    }

    @Test("verify: none on a non-loopback ingress address refuses to start, before the state directory or Kafka is touched (on loopback it starts: the listener tests above use it)")
    func unverifiedOffLoopbackRefused() async throws {
        let connectors = ["open.yaml": IngressHarness.connector("open", ingress: "{verify: none}")]
        let project = try IngressHarness.project(connectors: connectors, topics: IngressHarness.topics(["open"]))
        do {
            _ = try await buildApplication(IngressHarness.options(project: project, token: nil, ingressHost: "0.0.0.0"), logger: HubTestSupport.logger)
            Issue.record("the hub started with verify: none on 0.0.0.0")
        } catch let refusal as AdminServer.UnsafeConfiguration {
            #expect(refusal.description.contains("verify: none"))
            #expect(refusal.description.contains("open"))
        }
        #expect(!FileManager.default.fileExists(atPath: project.state.path), "refused before creating state")
    }
}
