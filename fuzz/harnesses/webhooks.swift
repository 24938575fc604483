import Foundation
@testable import SynclineMapping
@testable import SynclineSecurity

/// Webhook verification (hmac, zendesk, twilio, wecom) over hostile requests. Input parts (split at
/// 0x00): signature, timestamp, nonce or URL, body. Each scheme verifies the request as given; then the
/// same body is signed properly and must verify, and WeCom must decrypt what it encrypted.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzWebhooks(_ data: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let parts = FuzzInput.parts(FuzzInput.bytes(data, count), limit: 4)
    func part(_ index: Int) -> [UInt8] { index < parts.count ? parts[index] : [] }
    let signature = FuzzInput.text(part(0)), timestamp = FuzzInput.text(part(1)), nonce = FuzzInput.text(part(2))
    let body = part(3)
    let now = Date(timeIntervalSince1970: 1_764_547_200)
    let url = "https://hub.example.com/ingest/fuzz?" + nonce
    _ = WebhookTimestamp.seconds(timestamp)
    _ = WebhookTimestamp.isFresh(timestamp, now: now, windowSeconds: 300)
    _ = Hex.decode(signature)
    _ = TwilioSignature.formParameters(body)

    for verifier in Webhooks.verifiers {
        let spec = verifier.spec
        let headers = [spec.header: signature, spec.timestampHeader: timestamp, "Content-Type": "application/json"]
        let query = ["msg_signature": signature, "timestamp": timestamp, "nonce": nonce, "echostr": FuzzInput.text(body)]
        let method = part(0).first.map { $0 & 1 == 0 ? "POST" : "GET" } ?? "POST"
        _ = try? verifier.verify(WebhookRequest(method: method, url: url, query: query, headers: headers, body: body), now: now)
    }

    // Properly signed requests over the same hostile body verify.
    let fresh = String(Int(now.timeIntervalSince1970))
    let hmac = Webhooks.verifiers[0], zendesk = Webhooks.verifiers[1], twilio = Webhooks.verifiers[2]
    let hmacSigned = HMACWebhookSignature.sign(secret: Webhooks.secret, timestamp: fresh, body: body)
    let hmacRequest = WebhookRequest(method: "POST", url: url, headers: [hmac.spec.header: hmacSigned, hmac.spec.timestampHeader: fresh], body: body)
    require((try? hmac.verify(hmacRequest, now: now)) != nil, "a correctly signed hmac request was refused")
    let zendeskSigned = ZendeskSignature.sign(secret: Webhooks.secret, timestamp: fresh, body: body)
    let zendeskRequest = WebhookRequest(
        method: "POST", url: url, headers: [zendesk.spec.header: zendeskSigned, zendesk.spec.timestampHeader: fresh], body: body)
    require((try? zendesk.verify(zendeskRequest, now: now)) != nil, "a correctly signed zendesk request was refused")
    let parameters = TwilioSignature.formParameters(body)
    let twilioSigned = TwilioSignature.sign(authToken: Webhooks.secret, url: url, parameters: parameters)
    let twilioRequest = WebhookRequest(method: "POST", url: url, headers: [twilio.spec.header: twilioSigned], body: body)
    require((try? twilio.verify(twilioRequest, now: now)) != nil, "a correctly signed twilio request was refused")

    // WeCom: hostile ciphertext and bodies, then a round trip of the hostile message.
    let crypto = Webhooks.wecom
    _ = try? crypto.decrypt(signature)
    _ = try? crypto.decrypt(FuzzInput.text(body))
    _ = WeComCrypto.element("Encrypt", in: FuzzInput.text(body))
    let random = Array((part(1) + [UInt8](repeating: 7, count: 16)).prefix(16))
    if let encrypted = try? crypto.encrypt(body, random: random) {
        require((try? crypto.decrypt(encrypted)) == body, "WeCom did not decrypt what it encrypted")
        let signed = crypto.signature(timestamp: fresh, nonce: nonce, encrypted: encrypted)
        let request = WebhookRequest(
            method: "POST", url: url, query: ["msg_signature": signed, "timestamp": fresh, "nonce": nonce],
            body: crypto.callbackBody(encrypted: encrypted))
        require((try? Webhooks.verifiers[3].verify(request, now: now)) != nil, "a correctly signed WeCom message was refused")
    }
    return 0
}

enum Webhooks {
    static let secret = "fuzz-secret-☃"
    static let aesKey = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
    static let receiver = "ww-fuzz-corp"

    /// hmac, zendesk, twilio, wecom — in that order.
    static let verifiers: [WebhookVerifier] = {
        do {
            return [
                try WebhookVerifier(spec: IngressSpec(verify: .hmac), secret: secret),
                try WebhookVerifier(spec: IngressSpec(verify: .zendesk), secret: secret),
                try WebhookVerifier(spec: IngressSpec(verify: .twilio), secret: secret),
                try WebhookVerifier(spec: IngressSpec(verify: .wecom, receiverID: receiver), secret: secret, aesKey: aesKey),
            ]
        } catch {
            fatalError("verifier set-up failed: \(error)")
        }
    }()

    static let wecom: WeComCrypto = {
        do {
            return try WeComCrypto(token: secret, encodingAESKey: aesKey, receiverID: receiver)
        } catch {
            fatalError("WeCom set-up failed: \(error)")
        }
    }()
}
