import Foundation
import Logging
import SynclineAdmin
import SynclineMapping
import SynclineHub
import SynclineKafka
import SynclineSecurity
import Testing

@Suite("Webhook ingress end to end over real HTTP: each scheme lands on its raw topic and flows through its connector", .serialized)
struct IngressEndToEndTests {
    static let aesKey = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C"

    @Test("generic HMAC, Zendesk, Twilio and WeCom calls signed as the vendors sign them are published with CloudEvents headers and flow through; unsigned, tampered and replayed ones get 401 and are counted")
    func everyScheme() async throws {
        let hmacSecret = IngressHarness.secretVariable("hmac-secret-\(UUID().uuidString)")
        let zendeskSecret = IngressHarness.secretVariable("zendesk-secret-\(UUID().uuidString)")
        let twilioToken = IngressHarness.secretVariable("twilio-token-\(UUID().uuidString)")
        let wecomToken = IngressHarness.secretVariable("wecomtoken\(Int.random(in: 1000...9999))")
        let wecomKey = IngressHarness.secretVariable(Self.aesKey)
        let env = ProcessInfo.processInfo.environment
        let hub = try await IngressHarness.start(
            connectors: [
                "generic.yaml": IngressHarness.connector("generic", ingress: "{verify: hmac, secret_env: \(hmacSecret)}", eventID: "event_id", sourceTimestamp: "occurred_at"),
                "desk.yaml": IngressHarness.connector("desk", ingress: "{verify: zendesk, secret_env: \(zendeskSecret)}", eventID: "id"),
                "calls.yaml": IngressHarness.connector("calls", ingress: "{verify: twilio, secret_env: \(twilioToken)}", format: "form"),
                "chat.yaml": IngressHarness.connector(
                    "chat", ingress: "{verify: wecom, secret_env: \(wecomToken), aes_key_env: \(wecomKey), receiver_id: ww-corp-42}", format: "xml"),
            ],
            topics: IngressHarness.topics(["generic", "desk", "calls", "chat"]))

        // Generic HMAC over timestamp + body.
        let genericBody = Array(#"{"event_id":"evt-g1","occurred_at":"2024-06-01T12:00:00Z","phone":"+8613812348000"}"#.utf8)
        let timestamp = IngressHarness.now()
        let genericHeaders = [
            "Content-Type": "application/json", "X-Syncline-Timestamp": timestamp,
            "X-Syncline-Signature": "sha256=" + HMACWebhookSignature.sign(secret: env[hmacSecret] ?? "", timestamp: timestamp, body: genericBody),
            "traceparent": "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
        ]
        let generic = try await hub.send("POST", "/ingest/generic", headers: genericHeaders, body: genericBody)
        #expect(generic.status == 200, "\(generic.text)")
        #expect(generic.text.contains(#""topic":"raw.hooks.generic.v1""#))
        // The same signed request again is a replay.
        #expect(try await hub.send("POST", "/ingest/generic", headers: genericHeaders, body: genericBody).status == 401)
        // Unsigned and tampered.
        var unsigned = genericHeaders
        unsigned["X-Syncline-Signature"] = nil
        #expect(try await hub.send("POST", "/ingest/generic", headers: unsigned, body: genericBody).status == 401)
        var tamperedBody = genericBody
        tamperedBody[tamperedBody.count - 3] = UInt8(ascii: "1")
        #expect(try await hub.send("POST", "/ingest/generic", headers: genericHeaders, body: tamperedBody).status == 401)
        // Stale: correctly signed, but an hour old.
        let old = String(Int(Date().timeIntervalSince1970) - 3_600)
        var stale = genericHeaders
        stale["X-Syncline-Timestamp"] = old
        stale["X-Syncline-Signature"] = HMACWebhookSignature.sign(secret: env[hmacSecret] ?? "", timestamp: old, body: genericBody)
        #expect(try await hub.send("POST", "/ingest/generic", headers: stale, body: genericBody).status == 401)

        // Zendesk: base64 HMAC-SHA256 over the ISO timestamp + body.
        let deskBody = Array(#"{"id":"zd-77","type":"zen:event-type:ticket.created","detail":{"requester_email":"li.lei@example.com"}}"#.utf8)
        let zendeskTime = ISO8601DateFormatter().string(from: Date())
        let desk = try await hub.send("POST", "/ingest/desk/zendesk", headers: [
            "Content-Type": "application/json", ZendeskSignature.timestampHeader: zendeskTime,
            ZendeskSignature.signatureHeader: ZendeskSignature.sign(secret: env[zendeskSecret] ?? "", timestamp: zendeskTime, body: deskBody),
        ], body: deskBody)
        #expect(desk.status == 200, "\(desk.text)")

        // Twilio: HMAC-SHA1 over the full URL and the sorted form parameters.
        let parameters: [(name: String, value: String)] = [
            ("CallSid", "CA-e2e-1"), ("From", "+14155550100"), ("To", "+8613812348000"), ("CallStatus", "completed"), ("Direction", "inbound"),
        ]
        let twilioBody = TwilioSignature.formBody(parameters)
        let twilioURL = hub.base + "/ingest/calls/twilio"
        let calls = try await hub.send("POST", "/ingest/calls/twilio", headers: [
            "Content-Type": "application/x-www-form-urlencoded",
            TwilioSignature.header: TwilioSignature.sign(authToken: env[twilioToken] ?? "", url: twilioURL, parameters: parameters),
        ], body: twilioBody)
        #expect(calls.status == 200, "\(calls.text)")
        #expect(calls.text.contains("<Response>"))
        let forged = try await hub.send("POST", "/ingest/calls/twilio", headers: [
            "Content-Type": "application/x-www-form-urlencoded",
            TwilioSignature.header: TwilioSignature.sign(authToken: "not-the-token", url: twilioURL, parameters: parameters),
        ], body: twilioBody)
        #expect(forged.status == 401)

        // WeCom: URL verification, then an encrypted message callback.
        let crypto = try WeComCrypto(token: env[wecomToken] ?? "", encodingAESKey: Self.aesKey, receiverID: "ww-corp-42")
        let echo = try crypto.encrypt(Array("echo-20240601".utf8), random: Array(repeating: 9, count: 16))
        let wecomTime = IngressHarness.now()
        let echoSignature = crypto.signature(timestamp: wecomTime, nonce: "n-1", encrypted: echo)
        let echoQuery = "msg_signature=\(echoSignature)&timestamp=\(wecomTime)&nonce=n-1&echostr=\(Self.percentEncoded(echo))"
        let verification = try await hub.send("GET", "/ingest/chat/wecom?\(echoQuery)")
        #expect(verification.status == 200)
        #expect(verification.text == "echo-20240601")
        let message = "<xml><ToUserName><![CDATA[ww-corp-42]]></ToUserName><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[请回电 13812348000]]></Content><MsgId>7001</MsgId></xml>"
        let encrypted = try crypto.encrypt(Array(message.utf8), random: (0..<16).map { _ in UInt8.random(in: 0...255) })
        let messageSignature = crypto.signature(timestamp: wecomTime, nonce: "n-2", encrypted: encrypted)
        let wecomPath = "/ingest/chat/wecom?msg_signature=\(messageSignature)&timestamp=\(wecomTime)&nonce=n-2"
        let chat = try await hub.send("POST", wecomPath, headers: ["Content-Type": "text/xml"], body: crypto.callbackBody(encrypted: encrypted))
        #expect(chat.status == 200, "\(chat.text)")
        // Tampered: another nonce with the same signature.
        let tamperedPath = "/ingest/chat/wecom?msg_signature=\(messageSignature)&timestamp=\(wecomTime)&nonce=n-3"
        #expect(try await hub.send("POST", tamperedPath, headers: ["Content-Type": "text/xml"], body: crypto.callbackBody(encrypted: encrypted)).status == 401)
        #expect(try await hub.send("POST", wecomPath, headers: ["Content-Type": "text/xml"], body: crypto.callbackBody(encrypted: encrypted)).status == 401)

        // Each lands once on its raw topic with CloudEvents headers …
        let genericRaw = try await hub.waitForRecords("raw.hooks.generic.v1", count: 1)
        #expect(genericRaw.count == 1)
        let record = try #require(genericRaw.first)
        #expect(record.value == genericBody)
        #expect(record.key == Array("evt-g1".utf8))
        #expect(record.headers.last(named: HeaderNames.ceID)?.text == "evt-g1")
        #expect(record.headers.last(named: HeaderNames.ceSource)?.text == "generic")
        #expect(record.headers.last(named: HeaderNames.ceSpecVersion)?.text == "1.0")
        #expect(record.headers.last(named: HeaderNames.ceType)?.text == "syncline.ingress.hmac")
        #expect(record.headers.last(named: HeaderNames.traceparent)?.text == "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
        let deskRaw = try await hub.waitForRecords("raw.hooks.desk.v1", count: 1)
        #expect(deskRaw.map(\.value) == [deskBody])
        #expect(deskRaw.first?.headers.last(named: HeaderNames.ceID)?.text == "zd-77")
        // No time in the body: ce_time is the receive time (RFC 3339 UTC, within the last minute).
        let ceTime = try #require(deskRaw.first?.headers.last(named: HeaderNames.ceTime)?.text)
        let received = try #require(WebhookTimestamp.seconds(ceTime))
        #expect(abs(received - Date().timeIntervalSince1970) < 120)
        let callsRaw = try await hub.waitForRecords("raw.hooks.calls.v1", count: 1)
        #expect(callsRaw.map(\.value) == [twilioBody])
        #expect(callsRaw.first?.key == Array("CA-e2e-1".utf8))
        let chatRaw = try await hub.waitForRecords("raw.hooks.chat.v1", count: 1)
        #expect(chatRaw.map(\.value) == [Array(message.utf8)], "the decrypted XML is what is published")
        #expect(chatRaw.first?.key == Array("7001".utf8))
        #expect(genericRaw.first?.headers.last(named: HeaderNames.ceTime)?.text == "2024-06-01T12:00:00.000Z")

        // … and flows through its connector.
        for name in ["generic", "desk", "calls", "chat"] {
            let out = try await hub.waitForRecords("hub.hooks.\(name).v1", count: 1)
            #expect(out.count == 1, "hub.hooks.\(name).v1")
            #expect(out.first?.headers.last(named: HeaderNames.connector)?.text == name)
        }

        // Every refusal is counted with its reason.
        let metrics = try await hub.metrics()
        for line in [
            #"syncline_ingress_rejected_total{connector="generic",reason="replayed"} 1"#,
            #"syncline_ingress_rejected_total{connector="generic",reason="missing_signature"} 1"#,
            #"syncline_ingress_rejected_total{connector="generic",reason="bad_signature"} 1"#,
            #"syncline_ingress_rejected_total{connector="generic",reason="stale_timestamp"} 1"#,
            #"syncline_ingress_rejected_total{connector="calls",reason="bad_signature"} 1"#,
            #"syncline_ingress_rejected_total{connector="chat",reason="bad_signature"} 1"#,
            #"syncline_ingress_rejected_total{connector="chat",reason="replayed"} 1"#,
            #"syncline_ingress_requests_total{connector="generic",status="200"} 1"#,
            #"syncline_ingress_requests_total{connector="chat",status="200"} 2"#,
        ] {
            #expect(metrics.contains(line), "missing \(line)")
        }
        // No secret reaches /metrics or /api.
        let api = try await hub.admin("GET", "/api/v1/connectors").text
        for secret in [hmacSecret, zendeskSecret, twilioToken, wecomToken, wecomKey].compactMap({ env[$0] }) {
            #expect(!metrics.contains(secret) && !api.contains(secret))
        }
        try await hub.stop()
    }

    static func percentEncoded(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")) ?? text
    }
}
