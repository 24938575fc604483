import Crypto
import Foundation

/// Zendesk webhook signatures: `X-Zendesk-Webhook-Signature` = base64(HMAC-SHA256(signing secret,
/// `X-Zendesk-Webhook-Signature-Timestamp` + raw body)).
public enum ZendeskSignature {
    public static let signatureHeader = "X-Zendesk-Webhook-Signature"
    public static let timestampHeader = "X-Zendesk-Webhook-Signature-Timestamp"

    public static func sign(secret: String, timestamp: String, body: [UInt8]) -> String {
        Data(HMACWebhookSignature.mac(secret: secret, timestamp: timestamp, body: body)).base64EncodedString()
    }

    /// Constant-time check of a base64 signature.
    public static func verify(signature: String, secret: String, timestamp: String, body: [UInt8]) -> Bool {
        verifiedMAC(signature: signature, secret: secret, timestamp: timestamp, body: body) != nil
    }

    /// The decoded MAC when the signature is Zendesk's base64 of the expected MAC (the only encoding
    /// Zendesk documents), else nil.
    public static func verifiedMAC(signature: String, secret: String, timestamp: String, body: [UInt8]) -> [UInt8]? {
        guard let given = Data(base64Encoded: signature.trimmingCharacters(in: .whitespaces)) else { return nil }
        let bytes = Array(given)
        return ConstantTime.equals(bytes, HMACWebhookSignature.mac(secret: secret, timestamp: timestamp, body: body)) ? bytes : nil
    }
}
