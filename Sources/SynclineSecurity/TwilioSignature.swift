import Crypto
import Foundation

/// Twilio request validation: `X-Twilio-Signature` = base64(HMAC-SHA1(auth token, full URL +
/// every POST parameter sorted by name, each name immediately followed by its value)).
public enum TwilioSignature {
    public static let header = "X-Twilio-Signature"

    /// The string Twilio signs: the URL, then the parameters sorted by name (then value), concatenated.
    public static func baseString(url: String, parameters: [(name: String, value: String)]) -> String {
        let sorted = parameters.sorted { $0.name == $1.name ? $0.value < $1.value : $0.name < $1.name }
        return url + sorted.map { $0.name + $0.value }.joined()
    }

    public static func sign(authToken: String, url: String, parameters: [(name: String, value: String)]) -> String {
        Data(mac(authToken: authToken, base: baseString(url: url, parameters: parameters))).base64EncodedString()
    }

    /// Constant-time check of the header value.
    public static func verify(signature: String, authToken: String, url: String, parameters: [(name: String, value: String)]) -> Bool {
        verifiedMAC(signature: signature, authToken: authToken, url: url, parameters: parameters) != nil
    }

    /// The decoded MAC when the header is Twilio's base64 of the expected MAC (the only encoding
    /// Twilio documents), else nil.
    public static func verifiedMAC(signature: String, authToken: String, url: String, parameters: [(name: String, value: String)]) -> [UInt8]? {
        guard let given = Data(base64Encoded: signature.trimmingCharacters(in: .whitespaces)) else { return nil }
        let bytes = Array(given)
        return ConstantTime.equals(bytes, mac(authToken: authToken, base: baseString(url: url, parameters: parameters))) ? bytes : nil
    }

    static func mac(authToken: String, base: String) -> [UInt8] {
        Array(HMAC<Insecure.SHA1>.authenticationCode(for: Array(base.utf8), using: SymmetricKey(data: Array(authToken.utf8))))
    }

    /// Decodes an `application/x-www-form-urlencoded` body (`+` is a space, `%XX` escapes), in order.
    public static func formParameters(_ body: [UInt8]) -> [(name: String, value: String)] {
        let text = String(decoding: body, as: UTF8.self)
        guard !text.isEmpty else { return [] }
        return text.split(separator: "&", omittingEmptySubsequences: true).map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = decode(parts[0])
            let value = parts.count > 1 ? decode(parts[1]) : ""
            return (name, value)
        }
    }

    private static func decode(_ text: Substring) -> String {
        let spaced = text.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }

    /// Encodes parameters as a form body the way HTTP clients do (for tests and tools).
    public static func formBody(_ parameters: [(name: String, value: String)]) -> [UInt8] {
        let allowed = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._*")
        let encode = { (text: String) -> String in
            (text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text).replacingOccurrences(of: "%20", with: "+")
        }
        return Array(parameters.map { encode($0.name) + "=" + encode($0.value) }.joined(separator: "&").utf8)
    }
}
