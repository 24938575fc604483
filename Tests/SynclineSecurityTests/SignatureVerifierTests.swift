import Foundation
import SynclineMapping
import SynclineSecurity
import Testing

@Suite("Webhook verifier: per-scheme acceptance, unsigned, tampered, stale and missing-secret requests")
struct SignatureVerifierTests {
    let now = Date(timeIntervalSince1970: 1_717_171_717)

    @Test("hmac: signed passes with a replay key; unsigned, tampered, stale and future timestamps are refused")
    func hmac() throws {
        let verifier = try WebhookVerifier(spec: IngressSpec(verify: .hmac, secretEnv: "S"), secret: "k3y-for-tests")
        let body = Array(#"{"event_id":"e1"}"#.utf8)
        func request(_ timestamp: String, _ signature: String?, _ body: [UInt8]) -> WebhookRequest {
            var headers = ["X-Syncline-Timestamp": timestamp]
            if let signature { headers["X-Syncline-Signature"] = signature }
            return WebhookRequest(method: "POST", url: "http://h/ingest/c", headers: headers, body: body)
        }
        let signature = HMACWebhookSignature.sign(secret: "k3y-for-tests", timestamp: "1717171700", body: body)
        let key = WebhookVerifier.replayKey(.hmac, timestamp: "1717171700", mac: Hex.decode(signature) ?? [])
        #expect(try verifier.verify(request("1717171700", signature, body), now: now) == .publish(body: body, replayKey: key))
        #expect(throws: WebhookRejection.missingSignature) { try verifier.verify(request("1717171700", nil, body), now: now) }
        #expect(throws: WebhookRejection.badSignature) { try verifier.verify(request("1717171700", signature, body + [0x20]), now: now) }
        let old = HMACWebhookSignature.sign(secret: "k3y-for-tests", timestamp: "1717170000", body: body)
        #expect(throws: WebhookRejection.staleTimestamp) { try verifier.verify(request("1717170000", old, body), now: now) }
        let future = HMACWebhookSignature.sign(secret: "k3y-for-tests", timestamp: "1717179999", body: body)
        #expect(throws: WebhookRejection.staleTimestamp) { try verifier.verify(request("1717179999", future, body), now: now) }
    }

    @Test("a scheme whose secret is not in the environment is not configured (and never accepts)")
    func missingSecret() {
        #expect(throws: WebhookRejection.notConfigured) { try WebhookVerifier(spec: IngressSpec(verify: .hmac, secretEnv: "S"), secret: nil) }
        #expect(throws: WebhookRejection.notConfigured) { try WebhookVerifier(spec: IngressSpec(verify: .zendesk, secretEnv: "S"), secret: "") }
        #expect(throws: WebhookRejection.notConfigured) {
            try WebhookVerifier(spec: IngressSpec(verify: .wecom, secretEnv: "S", aesKeyEnv: "A", receiverID: "c"), secret: "t", aesKey: "bad")
        }
    }

    @Test("twilio: the URL as signed and the form parameters; another URL or parameter fails")
    func twilio() throws {
        let verifier = try WebhookVerifier(spec: IngressSpec(verify: .twilio, secretEnv: "S"), secret: "auth-token-1")
        let parameters: [(name: String, value: String)] = [("CallSid", "CA1"), ("From", "+14155550100"), ("CallStatus", "completed")]
        let body = TwilioSignature.formBody(parameters)
        let url = "https://hub.example.com/ingest/telephony/twilio"
        let signature = TwilioSignature.sign(authToken: "auth-token-1", url: url, parameters: parameters)
        let good = WebhookRequest(method: "POST", url: url, headers: ["X-Twilio-Signature": signature], body: body)
        let key = WebhookVerifier.replayKey(.twilio, timestamp: nil, mac: Array(Data(base64Encoded: signature) ?? Data()))
        #expect(try verifier.verify(good, now: now) == .publish(body: body, replayKey: key))
        var elsewhere = good
        elsewhere.url = "https://evil.example.com/ingest/telephony/twilio"
        #expect(throws: WebhookRejection.badSignature) { try verifier.verify(elsewhere, now: now) }
        var tampered = good
        tampered.body = TwilioSignature.formBody([("CallSid", "CA1"), ("From", "+14155550199"), ("CallStatus", "completed")])
        #expect(throws: WebhookRejection.badSignature) { try verifier.verify(tampered, now: now) }
    }

    @Test("wecom: URL verification answers the echostr; a message is decrypted; stale or tampered ones are refused")
    func wecom() throws {
        let spec = IngressSpec(verify: .wecom, secretEnv: "T", aesKeyEnv: "A", receiverID: "ww-corp")
        let key = SignatureVectorTests.aesKey
        let verifier = try WebhookVerifier(spec: spec, secret: "tok3n", aesKey: key)
        let crypto = try WeComCrypto(token: "tok3n", encodingAESKey: key, receiverID: "ww-corp")
        let echo = try crypto.encrypt(Array("12345echo".utf8), random: Array(repeating: 1, count: 16))
        let getQuery = ["msg_signature": crypto.signature(timestamp: "1717171700", nonce: "x", encrypted: echo), "timestamp": "1717171700", "nonce": "x", "echostr": echo]
        #expect(try verifier.verify(WebhookRequest(method: "GET", url: "", query: getQuery), now: now) == .answer("12345echo"))
        let message = Array("<xml><MsgId>9</MsgId></xml>".utf8)
        let encrypted = try crypto.encrypt(message, random: Array(repeating: 2, count: 16))
        let signature = crypto.signature(timestamp: "1717171700", nonce: "y", encrypted: encrypted)
        let post = WebhookRequest(
            method: "POST", url: "", query: ["msg_signature": signature, "timestamp": "1717171700", "nonce": "y"],
            body: crypto.callbackBody(encrypted: encrypted))
        let replayKey = WebhookVerifier.replayKey(.wecom, timestamp: "1717171700", mac: Hex.decode(signature) ?? [])
        #expect(try verifier.verify(post, now: now) == .publish(body: message, replayKey: replayKey))
        #expect(throws: WebhookRejection.staleTimestamp) { try verifier.verify(post, now: now.addingTimeInterval(3_600)) }
        var unsigned = post
        unsigned.query["msg_signature"] = nil
        #expect(throws: WebhookRejection.missingSignature) { try verifier.verify(unsigned, now: now) }
        var tampered = post
        tampered.query["nonce"] = "z"
        #expect(throws: WebhookRejection.badSignature) { try verifier.verify(tampered, now: now) }
    }

    @Test("the ingress block parses; secrets in the file, unknown schemes and missing settings are problems")
    func ingressBlock() throws {
        func parse(_ ingress: String) -> Result<IngressSpec?, ConfigProblems> {
            let text = """
                name: t
                input: {topics: [raw.t.v1]}
                routes: [{name: all, topic: crm.leads.v1}]
                ingress: \(ingress)
                """
            do throws(ConfigProblems) {
                return .success(try ConnectorSpecParser.parse(text, file: "t.yaml").ingress)
            } catch {
                return .failure(error)
            }
        }
        let spec = try parse("{verify: zendesk, secret_env: ZD_SECRET, max_body_bytes: 2048, rate_per_second: 5, replay_window_seconds: 60}").get()
        #expect(spec?.verify == .zendesk)
        #expect(spec?.header == "X-Zendesk-Webhook-Signature")
        #expect(spec?.timestampHeader == "X-Zendesk-Webhook-Signature-Timestamp")
        #expect(spec?.maxBodyBytes == 2048)
        #expect(spec?.replayWindowSeconds == 60)
        #expect(spec?.accepts(contentType: "application/json; charset=utf-8") == true)
        #expect(spec?.accepts(contentType: "text/plain") == false)
        for bad in ["{verify: hmac, secret_env: 'sk_live_abc123!'}", "{verify: rsa, secret_env: X}", "{verify: hmac}",
                    "{verify: wecom, secret_env: T}", "{verify: none, topic: raw.other.v1}", "{verify: none, colour: red}"] {
            guard case .failure(let problems) = parse(bad) else {
                Issue.record("accepted \(bad)")
                continue
            }
            #expect(!problems.problems.isEmpty)
            #expect(!"\(problems)".contains("sk_live_abc123!"), "a problem message repeats the would-be secret")
        }
    }
}
