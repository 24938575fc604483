import Crypto
import Foundation
import _CryptoExtras

/// WeCom (企业微信) callback cryptography, as WeCom's public "加解密方案" specifies:
/// - signature: SHA-1 (hex) over the token, timestamp, nonce and ciphertext, sorted and concatenated;
/// - cipher: AES-256-CBC, key = base64(EncodingAESKey + "="), IV = the key's first 16 bytes,
///   PKCS#7 padding to a multiple of 32 bytes;
/// - plaintext: 16 random bytes + 4-byte big-endian message length + message + receiver id.
public struct WeComCrypto: Sendable {
    /// Why a callback was refused.
    public enum Failure: Error, Sendable, Equatable, CustomStringConvertible {
        case badAESKey
        case badSignature
        case malformed(String)
        case wrongReceiver

        public var description: String {
            switch self {
            case .badAESKey: return "the EncodingAESKey must be 43 base64 characters"
            case .badSignature: return "msg_signature does not match"
            case .malformed(let detail): return "malformed message: \(detail)"
            case .wrongReceiver: return "the message is for another receiver id"
            }
        }
    }

    private let token: String
    private let key: [UInt8]
    private let receiverID: String

    /// - Parameters:
    ///   - token: the callback Token set in WeCom's console.
    ///   - encodingAESKey: the 43-character EncodingAESKey.
    ///   - receiverID: the corp id (or suite id) messages must be addressed to.
    public init(token: String, encodingAESKey: String, receiverID: String) throws(Failure) {
        guard encodingAESKey.utf8.count == 43, let data = Data(base64Encoded: encodingAESKey + "="), data.count == 32 else {
            throw .badAESKey
        }
        self.token = token
        self.key = Array(data)
        self.receiverID = receiverID
    }

    /// The `msg_signature` for these values (lowercase hex SHA-1).
    public func signature(timestamp: String, nonce: String, encrypted: String) -> String {
        let joined = [token, timestamp, nonce, encrypted].sorted().joined()
        return Hex.encode(Insecure.SHA1.hash(data: Array(joined.utf8)))
    }

    /// URL verification (`GET ?msg_signature&timestamp&nonce&echostr`): the decrypted echostr to answer with.
    public func verifyURL(msgSignature: String, timestamp: String, nonce: String, echostr: String) throws(Failure) -> String {
        try checkSignature(msgSignature, timestamp: timestamp, nonce: nonce, encrypted: echostr)
        return String(decoding: try decrypt(echostr), as: UTF8.self)
    }

    /// A message callback (`POST ?msg_signature&timestamp&nonce` with `<xml><Encrypt>…</Encrypt></xml>`):
    /// the decrypted message (XML) after the signature and receiver id are checked.
    public func decryptMessage(msgSignature: String, timestamp: String, nonce: String, body: [UInt8]) throws(Failure) -> [UInt8] {
        guard let encrypted = Self.element("Encrypt", in: String(decoding: body, as: UTF8.self)) else {
            throw .malformed("no <Encrypt> element")
        }
        try checkSignature(msgSignature, timestamp: timestamp, nonce: nonce, encrypted: encrypted)
        return try decrypt(encrypted)
    }

    /// WeCom documents `msg_signature` as lowercase hex: exactly that is accepted, so one signed
    /// callback has one spelling.
    private func checkSignature(_ given: String, timestamp: String, nonce: String, encrypted: String) throws(Failure) {
        guard ConstantTime.equals(given, signature(timestamp: timestamp, nonce: nonce, encrypted: encrypted)) else {
            throw .badSignature
        }
    }

    /// Decrypts base64 ciphertext and returns the message, checking padding, length and receiver id.
    public func decrypt(_ base64: String) throws(Failure) -> [UInt8] {
        guard let cipher = Data(base64Encoded: base64), !cipher.isEmpty, cipher.count % 16 == 0 else {
            throw .malformed("ciphertext is not base64 of whole AES blocks")
        }
        let plain: [UInt8]
        do {
            let iv = try AES._CBC.IV(ivBytes: key[0..<16])
            plain = Array(try AES._CBC.decrypt(cipher, using: SymmetricKey(data: key), iv: iv, noPadding: true))
        } catch {
            throw .malformed("AES decryption failed")
        }
        guard let pad = plain.last, pad >= 1, pad <= 32, Int(pad) <= plain.count,
              plain.suffix(Int(pad)).allSatisfy({ $0 == pad }) else {
            throw .malformed("bad PKCS#7 padding")
        }
        let content = plain.dropLast(Int(pad))
        guard content.count >= 20 else { throw .malformed("too short") }
        let start = content.startIndex + 16
        let length = content[start..<(start + 4)].reduce(0) { $0 << 8 | Int($1) }
        guard length >= 0, start + 4 + length <= content.endIndex else { throw .malformed("bad message length") }
        let message = Array(content[(start + 4)..<(start + 4 + length)])
        let receiver = Array(content[(start + 4 + length)...])
        guard ConstantTime.equals(receiver, Array(receiverID.utf8)) else { throw .wrongReceiver }
        return message
    }

    /// Encrypts a message as WeCom does (for replies, tests and tools); `random` must be 16 bytes.
    public func encrypt(_ message: [UInt8], random: [UInt8]) throws(Failure) -> String {
        guard random.count == 16 else { throw .malformed("the random prefix must be 16 bytes") }
        let count = UInt32(message.count)
        var plain = random + [UInt8(count >> 24 & 0xFF), UInt8(count >> 16 & 0xFF), UInt8(count >> 8 & 0xFF), UInt8(count & 0xFF)]
        plain += message + Array(receiverID.utf8)
        let pad = 32 - plain.count % 32
        plain += Array(repeating: UInt8(pad), count: pad)
        do {
            let iv = try AES._CBC.IV(ivBytes: key[0..<16])
            return try AES._CBC.encrypt(plain, using: SymmetricKey(data: key), iv: iv, noPadding: true).base64EncodedString()
        } catch {
            throw .malformed("AES encryption failed")
        }
    }

    /// The callback body WeCom posts for a message: `<xml><ToUserName/><AgentID/><Encrypt/></xml>`.
    public func callbackBody(encrypted: String, agentID: String = "") -> [UInt8] {
        Array("<xml><ToUserName><![CDATA[\(receiverID)]]></ToUserName><AgentID><![CDATA[\(agentID)]]></AgentID><Encrypt><![CDATA[\(encrypted)]]></Encrypt></xml>".utf8)
    }

    /// The text of the first `<name>` element (CDATA unwrapped), or nil.
    static func element(_ name: String, in xml: String) -> String? {
        guard let open = xml.range(of: "<\(name)>"), let close = xml.range(of: "</\(name)>", range: open.upperBound..<xml.endIndex) else {
            return nil
        }
        var text = xml[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespacesAndNewlines)
        if text.hasPrefix("<![CDATA["), text.hasSuffix("]]>") {
            text = String(text.dropFirst("<![CDATA[".count).dropLast("]]>".count))
        }
        return text
    }
}
