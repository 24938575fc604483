import Foundation
import SynclineMapping
import SynclineSecurity
import Testing

/// Known-good vectors: Twilio's published documentation example, and vectors computed with an
/// independent implementation (Python's hmac/hashlib and the `cryptography` package) from each
/// vendor's published algorithm.
@Suite("Signature schemes: known-good vectors, tampering, constant-time checks")
struct SignatureVectorTests {
    @Test("generic HMAC-SHA256 over timestamp + body: hex, sha256= and base64 accepted; tampering refused")
    func genericHMAC() {
        let body = Array(#"{"event_id":"evt-1","phone":"+8613812348000"}"#.utf8)
        let expected = "ecd74a6a035293666bdbeb8233caf71e99cd33d4fdbc3b33b2a968c92f143579"
        #expect(HMACWebhookSignature.sign(secret: "whsec_test_0123456789", timestamp: "1717171717", body: body) == expected)
        #expect(HMACWebhookSignature.verify(signature: expected, secret: "whsec_test_0123456789", timestamp: "1717171717", body: body))
        #expect(HMACWebhookSignature.verify(signature: "sha256=" + expected.uppercased(), secret: "whsec_test_0123456789", timestamp: "1717171717", body: body))
        let base64 = Data(Hex.decode(expected) ?? []).base64EncodedString()
        #expect(HMACWebhookSignature.verify(signature: base64, secret: "whsec_test_0123456789", timestamp: "1717171717", body: body))
        #expect(!HMACWebhookSignature.verify(signature: expected, secret: "whsec_test_0123456789", timestamp: "1717171718", body: body))
        #expect(!HMACWebhookSignature.verify(signature: expected, secret: "other", timestamp: "1717171717", body: body))
        #expect(!HMACWebhookSignature.verify(signature: expected, secret: "whsec_test_0123456789", timestamp: "1717171717", body: body + [0x20]))
        #expect(!HMACWebhookSignature.verify(signature: "", secret: "whsec_test_0123456789", timestamp: "1717171717", body: body))
    }

    @Test("Zendesk: base64(HMAC-SHA256(secret, timestamp + body))")
    func zendesk() {
        let secret = "dGhpc19zZWNyZXRfaXNfZm9yX3Rlc3Rpbmdfb25seQ=="
        let body = Array(#"{"type":"zen:event-type:ticket.created","id":"01HZ"}"#.utf8)
        let expected = "E8BbGwxFXUOPpeQt7lEDqakP9c0EzhtlQjOf7bdKpd8="
        #expect(ZendeskSignature.sign(secret: secret, timestamp: "2024-06-01T12:00:00Z", body: body) == expected)
        #expect(ZendeskSignature.verify(signature: expected, secret: secret, timestamp: "2024-06-01T12:00:00Z", body: body))
        #expect(!ZendeskSignature.verify(signature: expected, secret: secret, timestamp: "2024-06-01T12:00:01Z", body: body))
        #expect(!ZendeskSignature.verify(signature: "not base64!", secret: secret, timestamp: "2024-06-01T12:00:00Z", body: body))
    }

    @Test("Twilio: the documentation's example (auth token 12345) gives GvWf1cFY/Q7PnoempGyD5oXAezc=")
    func twilioPublishedExample() {
        let url = "https://mycompany.com/myapp.php?foo=1&bar=2"
        let parameters: [(name: String, value: String)] = [
            ("To", "+18005551212"), ("Digits", "1234"), ("CallSid", "CA1234567890ABCDE"), ("From", "+14158675310"), ("Caller", "+14158675310"),
        ]
        #expect(TwilioSignature.sign(authToken: "12345", url: url, parameters: parameters) == "GvWf1cFY/Q7PnoempGyD5oXAezc=")
        #expect(TwilioSignature.verify(signature: "GvWf1cFY/Q7PnoempGyD5oXAezc=", authToken: "12345", url: url, parameters: parameters))
        var tampered = parameters
        tampered[1].value = "9999"
        #expect(!TwilioSignature.verify(signature: "GvWf1cFY/Q7PnoempGyD5oXAezc=", authToken: "12345", url: url, parameters: tampered))
        #expect(!TwilioSignature.verify(signature: "GvWf1cFY/Q7PnoempGyD5oXAezc=", authToken: "12345", url: "http://mycompany.com/myapp.php?foo=1&bar=2", parameters: parameters))
        // The form body round trip: what an HTTP client sends decodes to the same parameters.
        let body = TwilioSignature.formBody(parameters + [("Body", "hi there & 你好")])
        let decoded = TwilioSignature.formParameters(body)
        #expect(decoded.map(\.name) == ["To", "Digits", "CallSid", "From", "Caller", "Body"])
        #expect(decoded.last?.value == "hi there & 你好")
        #expect(decoded.first?.value == "+18005551212")
    }

    static let aesKey = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C"
    static let message = "<xml><Content><![CDATA[你好 13812348000]]></Content><MsgId>1234567</MsgId></xml>"
    /// Computed with Python `cryptography` (AES-256-CBC, IV = key[:16], PKCS#7 to 32) from WeCom's scheme.
    static let ciphertext = "sKqRbbiSUnDhFHOvPjtUMQ4Xe539Eti7HgKzmx5IBV5V0bJ3DmQV89bD5KpwN11f8gGMUnqPpTo6FAjH4WTa9DPRctnccyLR/0LmuR5GLAA/2B0GMgauGnmH+r67fBas0WBarFnPGKyUTBHpjsdDesrlAaQefJXVVaE7mFKvYNo="

    @Test("WeCom: encryption matches an independent implementation; signature is SHA-1 of the sorted parts")
    func wecomVector() throws {
        let crypto = try WeComCrypto(token: "QDG6eK", encodingAESKey: Self.aesKey, receiverID: "wx5823bf96d3bd56c7")
        let encrypted = try crypto.encrypt(Array(Self.message.utf8), random: Array("0123456789abcdef".utf8))
        #expect(encrypted == Self.ciphertext)
        #expect(crypto.signature(timestamp: "1409659813", nonce: "1372623149", encrypted: Self.ciphertext) == "4bf847e0bfe180a950f10041e65f4d444fb62002")
        #expect(String(decoding: try crypto.decrypt(Self.ciphertext), as: UTF8.self) == Self.message)
    }

    @Test("WeCom: encrypt → callback → decrypt round trip; URL verification answers the echostr")
    func wecomRoundTrip() throws {
        let crypto = try WeComCrypto(token: "QDG6eK", encodingAESKey: Self.aesKey, receiverID: "ww-corp-1")
        for size in [0, 1, 11, 12, 13, 44, 1000] {
            let message = Array(String(repeating: "消", count: size).utf8)
            let random = (0..<16).map { _ in UInt8.random(in: 0...255) }
            let encrypted = try crypto.encrypt(message, random: random)
            let signature = crypto.signature(timestamp: "1700000000", nonce: "n1", encrypted: encrypted)
            let body = crypto.callbackBody(encrypted: encrypted, agentID: "1000002")
            #expect(try crypto.decryptMessage(msgSignature: signature, timestamp: "1700000000", nonce: "n1", body: body) == message)
        }
        let echo = try crypto.encrypt(Array("echo-4711".utf8), random: Array(repeating: 7, count: 16))
        let signature = crypto.signature(timestamp: "1700000000", nonce: "n2", encrypted: echo)
        #expect(try crypto.verifyURL(msgSignature: signature, timestamp: "1700000000", nonce: "n2", echostr: echo) == "echo-4711")
    }

    @Test("WeCom: a tampered ciphertext, a wrong signature, another receiver id or a bad key is refused")
    func wecomTampering() throws {
        let crypto = try WeComCrypto(token: "QDG6eK", encodingAESKey: Self.aesKey, receiverID: "wx5823bf96d3bd56c7")
        let signature = crypto.signature(timestamp: "1409659813", nonce: "1372623149", encrypted: Self.ciphertext)
        // Tampered ciphertext with the original signature: the signature no longer matches.
        var bytes = Array(Data(base64Encoded: Self.ciphertext) ?? Data())
        bytes[20] ^= 0x01
        let tampered = Data(bytes).base64EncodedString()
        #expect(throws: WeComCrypto.Failure.badSignature) {
            try crypto.decryptMessage(msgSignature: signature, timestamp: "1409659813", nonce: "1372623149", body: crypto.callbackBody(encrypted: tampered))
        }
        // Tampered ciphertext re-signed by someone who knows only the token: decryption detects it.
        #expect(throws: WeComCrypto.Failure.self) { try crypto.decrypt(tampered) }
        #expect(throws: WeComCrypto.Failure.badSignature) {
            try crypto.decryptMessage(msgSignature: signature, timestamp: "1409659814", nonce: "1372623149", body: crypto.callbackBody(encrypted: Self.ciphertext))
        }
        let other = try WeComCrypto(token: "QDG6eK", encodingAESKey: Self.aesKey, receiverID: "another-corp")
        #expect(throws: WeComCrypto.Failure.wrongReceiver) { try other.decrypt(Self.ciphertext) }
        #expect(throws: WeComCrypto.Failure.badAESKey) { try WeComCrypto(token: "t", encodingAESKey: "short", receiverID: "r") }
        #expect(throws: WeComCrypto.Failure.self) {
            try crypto.decryptMessage(msgSignature: signature, timestamp: "1409659813", nonce: "1372623149", body: Array("<xml></xml>".utf8))
        }
    }

    @Test("timestamps: epoch seconds and ms, ISO 8601 and RFC 2822 parse; the replay window is enforced both ways")
    func timestamps() {
        #expect(WebhookTimestamp.seconds("1717171717") == 1_717_171_717)
        #expect(WebhookTimestamp.seconds("1717171717000") == 1_717_171_717)
        #expect(WebhookTimestamp.seconds("2024-05-31T16:08:37Z") == 1_717_171_717)
        #expect(WebhookTimestamp.seconds("2024-05-31T16:08:37.000Z") == 1_717_171_717)
        #expect(WebhookTimestamp.seconds("Fri, 31 May 2024 16:08:37 +0000") == 1_717_171_717)
        #expect(WebhookTimestamp.seconds("yesterday") == nil)
        // Found by the webhooks fuzz harness: Foundation's DateFormatter trapped ("Incorrect range
        // CFRange") on a combining mark and replacement characters; such text is no date, and no trap.
        #expect(WebhookTimestamp.seconds("Mon, 01\u{05BB}ec 2025 00:00:00 +0\u{FFFD}\u{FFFD}0") == nil)
        #expect(WebhookTimestamp.seconds("Mon, 01\u{05BB}ec 2025 00:00:00 +0000") == nil)
        #expect(WebhookTimestamp.seconds("２０２４-05-31T16:08:37Z") == nil)
        let now = Date(timeIntervalSince1970: 1_717_171_717)
        #expect(WebhookTimestamp.isFresh("1717171417", now: now, windowSeconds: 300))
        #expect(!WebhookTimestamp.isFresh("1717171416", now: now, windowSeconds: 300))
        #expect(!WebhookTimestamp.isFresh("1717172018", now: now, windowSeconds: 300))
    }

    @Test("the replay guard: a key in flight answers inFlight, an accepted one replayed for twice the window, a released one is free again; bounded")
    func replayGuard() {
        let guardian = ReplayGuard(windowSeconds: 300, capacity: 1_000)
        #expect(guardian.reserve("a", nowSeconds: 1_000) == .reserved)
        #expect(guardian.reserve("a", nowSeconds: 1_001) == .inFlight)
        guardian.release("a")
        #expect(guardian.reserve("a", nowSeconds: 1_002) == .reserved)
        guardian.accept("a")
        #expect(guardian.reserve("a", nowSeconds: 1_003) == .replayed)
        // A timestamp up to one window ahead is accepted until one window after it: remembered 2 × window.
        #expect(guardian.reserve("a", nowSeconds: 1_002 + 599) == .replayed)
        #expect(guardian.reserve("a", nowSeconds: 1_002 + 601) == .reserved)
        for index in 0..<5_000 { _ = guardian.reserve("k\(index)", nowSeconds: 2_000) }
        #expect(guardian.count <= 1_001)
    }
}
