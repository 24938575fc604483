import Crypto
import Foundation

/// The generic webhook signature: HMAC-SHA256 with the shared secret over the timestamp header's
/// text followed by the raw body, sent as lowercase hex (`sha256=` prefix allowed) or base64.
public enum HMACWebhookSignature {
    /// The signature as lowercase hex.
    public static func sign(secret: String, timestamp: String, body: [UInt8]) -> String {
        Hex.encode(mac(secret: secret, timestamp: timestamp, body: body))
    }

    /// True when `signature` (hex, `sha256=`hex or base64) is the MAC of timestamp + body; constant time.
    public static func verify(signature: String, secret: String, timestamp: String, body: [UInt8]) -> Bool {
        verifiedMAC(signature: signature, secret: secret, timestamp: timestamp, body: body) != nil
    }

    /// The MAC bytes the signature encodes when it is the MAC of timestamp + body, else nil.
    /// Several encodings of one MAC decode to the same bytes: callers key replays on these.
    public static func verifiedMAC(signature: String, secret: String, timestamp: String, body: [UInt8]) -> [UInt8]? {
        let expected = mac(secret: secret, timestamp: timestamp, body: body)
        var given = signature.trimmingCharacters(in: .whitespaces)
        if given.lowercased().hasPrefix("sha256=") { given = String(given.dropFirst("sha256=".count)) }
        if let bytes = Hex.decode(given), ConstantTime.equals(bytes, expected) { return bytes }
        if let data = Data(base64Encoded: given), ConstantTime.equals(Array(data), expected) { return Array(data) }
        return nil
    }

    static func mac(secret: String, timestamp: String, body: [UInt8]) -> [UInt8] {
        var hmac = HMAC<SHA256>(key: SymmetricKey(data: Array(secret.utf8)))
        hmac.update(data: Array(timestamp.utf8))
        hmac.update(data: body)
        return Array(hmac.finalize())
    }
}
