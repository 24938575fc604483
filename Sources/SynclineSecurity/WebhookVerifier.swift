public import Foundation
public import SynclineMapping

/// Verifies one webhook request against a connector's `ingress` settings and secrets. Pure: no
/// HTTP, Kafka or clock of its own; the caller passes `now` and applies the replay guard.
public struct WebhookVerifier: Sendable {
    public let spec: IngressSpec
    private let secret: String?
    private let wecom: WeComCrypto?

    /// Fails with `.notConfigured` when the scheme needs a secret (or WeCom key) that is missing or
    /// malformed; the message never contains the secret.
    /// - Parameter receiverID: WeCom's receiver id when it comes from the environment
    ///   (`receiver_id_env`); else the file's `receiver_id`.
    public init(spec: IngressSpec, secret: String?, aesKey: String? = nil, receiverID: String? = nil) throws(WebhookRejection) {
        self.spec = spec
        let secret = secret.flatMap { $0.isEmpty ? nil : $0 }
        self.secret = secret
        guard spec.verify != .none else {
            wecom = nil
            return
        }
        guard let secret else { throw .notConfigured }
        guard spec.verify == .wecom else {
            wecom = nil
            return
        }
        guard let aesKey, let receiver = receiverID ?? spec.receiverID, !receiver.isEmpty else { throw .notConfigured }
        do throws(WeComCrypto.Failure) {
            wecom = try WeComCrypto(token: secret, encodingAESKey: aesKey, receiverID: receiver)
        } catch {
            throw .notConfigured
        }
    }

    /// Checks the request; throws the rejection (401 family) or says what to publish or answer.
    public func verify(_ request: WebhookRequest, now: Date) throws(WebhookRejection) -> WebhookVerdict {
        switch spec.verify {
        case .none:
            guard request.method == "POST" else { throw .wrongMethod }
            return .publish(body: request.body, replayKey: nil)
        case .hmac, .zendesk:
            guard request.method == "POST" else { throw .wrongMethod }
            guard let signature = request.header(spec.header), !signature.isEmpty else { throw .missingSignature }
            guard let timestamp = request.header(spec.timestampHeader), !timestamp.isEmpty else { throw .missingTimestamp }
            let secret = self.secret ?? ""
            let mac = spec.verify == .hmac
                ? HMACWebhookSignature.verifiedMAC(signature: signature, secret: secret, timestamp: timestamp, body: request.body)
                : ZendeskSignature.verifiedMAC(signature: signature, secret: secret, timestamp: timestamp, body: request.body)
            guard let mac else { throw .badSignature }
            guard WebhookTimestamp.isFresh(timestamp, now: now, windowSeconds: spec.replayWindowSeconds) else { throw .staleTimestamp }
            return .publish(body: request.body, replayKey: Self.replayKey(spec.verify, timestamp: timestamp, mac: mac))
        case .twilio:
            guard request.method == "POST" else { throw .wrongMethod }
            guard let signature = request.header(spec.header), !signature.isEmpty else { throw .missingSignature }
            let parameters = TwilioSignature.formParameters(request.body)
            guard let mac = TwilioSignature.verifiedMAC(signature: signature, authToken: secret ?? "", url: request.url, parameters: parameters) else {
                throw .badSignature
            }
            return .publish(body: request.body, replayKey: Self.replayKey(.twilio, timestamp: nil, mac: mac))
        case .wecom:
            return try verifyWeCom(request, now: now)
        }
    }

    private func verifyWeCom(_ request: WebhookRequest, now: Date) throws(WebhookRejection) -> WebhookVerdict {
        guard let wecom else { throw .notConfigured }
        guard let signature = request.query["msg_signature"], !signature.isEmpty else { throw .missingSignature }
        guard let timestamp = request.query["timestamp"], !timestamp.isEmpty, let nonce = request.query["nonce"] else {
            throw .missingTimestamp
        }
        if request.method == "GET" {
            guard let echostr = request.query["echostr"] else { throw .malformed }
            let answer = try Self.mapped { () throws(WeComCrypto.Failure) in
                try wecom.verifyURL(msgSignature: signature, timestamp: timestamp, nonce: nonce, echostr: echostr)
            }
            guard WebhookTimestamp.isFresh(timestamp, now: now, windowSeconds: spec.replayWindowSeconds) else { throw .staleTimestamp }
            return .answer(answer)
        }
        guard request.method == "POST" else { throw .wrongMethod }
        let message = try Self.mapped { () throws(WeComCrypto.Failure) in
            try wecom.decryptMessage(msgSignature: signature, timestamp: timestamp, nonce: nonce, body: request.body)
        }
        guard WebhookTimestamp.isFresh(timestamp, now: now, windowSeconds: spec.replayWindowSeconds) else { throw .staleTimestamp }
        // Verified above as WeCom's lowercase hex, so it decodes.
        return .publish(body: message, replayKey: Self.replayKey(.wecom, timestamp: timestamp, mac: Hex.decode(signature) ?? []))
    }

    /// What the replay guard remembers: the scheme, the signed timestamp (where one is signed) and
    /// the decoded MAC — the same for every encoding of one signature.
    public static func replayKey(_ scheme: IngressSpec.Verification, timestamp: String?, mac: [UInt8]) -> String {
        "\(scheme.rawValue):\(timestamp ?? "-"):\(Hex.encode(mac))"
    }

    private static func mapped<T>(_ body: () throws(WeComCrypto.Failure) -> T) throws(WebhookRejection) -> T {
        do {
            return try body()
        } catch {
            switch error {
            case .badSignature: throw .badSignature
            case .wrongReceiver: throw .wrongReceiver
            case .badAESKey: throw .notConfigured
            case .malformed: throw .malformed
            }
        }
    }
}
