import Foundation
import SynclineMapping
import SynclineSecurity
import Testing

/// The replay guard keys on what was signed: every encoding a scheme accepts of one MAC yields one
/// key, and encodings a vendor does not document are refused outright.
@Suite("Replay keys: one key per signed request, whatever the signature's spelling")
struct ReplayKeyTests {
    let now = Date(timeIntervalSince1970: 1_717_171_717)

    func key(_ verdict: WebhookVerdict) -> String? {
        if case .publish(_, let key) = verdict { return key }
        return nil
    }

    @Test("hmac: lower-case hex, upper-case hex, sha256= prefix and base64 of one MAC give one replay key")
    func hmacEncodings() throws {
        let verifier = try WebhookVerifier(spec: IngressSpec(verify: .hmac, secretEnv: "S"), secret: "k3y")
        let body = Array(#"{"event_id":"e1"}"#.utf8)
        let hex = HMACWebhookSignature.sign(secret: "k3y", timestamp: "1717171700", body: body)
        let mac = try #require(Hex.decode(hex))
        let spellings = [hex, hex.uppercased(), "sha256=" + hex, "SHA256=" + hex.uppercased(), Data(mac).base64EncodedString()]
        let keys = try spellings.map { signature in
            let request = WebhookRequest(
                method: "POST", url: "http://h/ingest/c", headers: ["X-Syncline-Timestamp": "1717171700", "X-Syncline-Signature": signature], body: body)
            return key(try verifier.verify(request, now: now))
        }
        #expect(Set(keys).count == 1)
        #expect(keys.first??.contains(hex) == true)
    }

    @Test("zendesk and twilio accept only base64 (their documented encoding); hex of the right MAC is a bad signature")
    func vendorEncodingsOnly() throws {
        let zendesk = try WebhookVerifier(spec: IngressSpec(verify: .zendesk, secretEnv: "S"), secret: "zd")
        let body = Array(#"{"id":"1"}"#.utf8)
        let base64 = ZendeskSignature.sign(secret: "zd", timestamp: "2024-05-31T16:08:20Z", body: body)
        let hex = Hex.encode(Data(base64Encoded: base64) ?? Data())
        func zendeskRequest(_ signature: String) -> WebhookRequest {
            WebhookRequest(method: "POST", url: "", headers: [
                ZendeskSignature.signatureHeader: signature, ZendeskSignature.timestampHeader: "2024-05-31T16:08:20Z",
            ], body: body)
        }
        #expect(key(try zendesk.verify(zendeskRequest(base64), now: now)) != nil)
        #expect(throws: WebhookRejection.badSignature) { try zendesk.verify(zendeskRequest(hex), now: now) }
        #expect(throws: WebhookRejection.badSignature) { try zendesk.verify(zendeskRequest(hex.uppercased()), now: now) }

        let twilio = try WebhookVerifier(spec: IngressSpec(verify: .twilio, secretEnv: "S"), secret: "tw")
        let parameters: [(name: String, value: String)] = [("CallSid", "CA1")]
        let signature = TwilioSignature.sign(authToken: "tw", url: "https://h/x", parameters: parameters)
        let twilioHex = Hex.encode(Data(base64Encoded: signature) ?? Data())
        let form = TwilioSignature.formBody(parameters)
        #expect(throws: WebhookRejection.badSignature) {
            try twilio.verify(WebhookRequest(method: "POST", url: "https://h/x", headers: [TwilioSignature.header: twilioHex], body: form), now: now)
        }
        #expect(throws: WebhookRejection.badSignature) {
            try twilio.verify(WebhookRequest(method: "POST", url: "https://h/x", headers: [TwilioSignature.header: String(signature.dropLast())], body: form), now: now)
        }
    }

    @Test("wecom: msg_signature is lower-case hex as WeCom sends it; the upper-case spelling is refused")
    func wecomLowercaseOnly() throws {
        let spec = IngressSpec(verify: .wecom, secretEnv: "T", aesKeyEnv: "A", receiverID: "ww-corp")
        let verifier = try WebhookVerifier(spec: spec, secret: "tok3n", aesKey: SignatureVectorTests.aesKey)
        let crypto = try WeComCrypto(token: "tok3n", encodingAESKey: SignatureVectorTests.aesKey, receiverID: "ww-corp")
        let encrypted = try crypto.encrypt(Array("<xml><MsgId>9</MsgId></xml>".utf8), random: Array(repeating: 2, count: 16))
        let signature = crypto.signature(timestamp: "1717171700", nonce: "y", encrypted: encrypted)
        func post(_ signature: String) -> WebhookRequest {
            WebhookRequest(
                method: "POST", url: "", query: ["msg_signature": signature, "timestamp": "1717171700", "nonce": "y"],
                body: crypto.callbackBody(encrypted: encrypted))
        }
        #expect(key(try verifier.verify(post(signature), now: now)) != nil)
        #expect(throws: WebhookRejection.badSignature) { try verifier.verify(post(signature.uppercased()), now: now) }
    }

    @Test("the receiver id may come from the environment (receiver_id_env)")
    func receiverFromEnvironment() throws {
        let spec = IngressSpec(verify: .wecom, secretEnv: "T", aesKeyEnv: "A")
        #expect(throws: WebhookRejection.notConfigured) { try WebhookVerifier(spec: spec, secret: "t", aesKey: SignatureVectorTests.aesKey) }
        _ = try WebhookVerifier(spec: spec, secret: "t", aesKey: SignatureVectorTests.aesKey, receiverID: "ww-corp")
    }
}
