import Foundation
import Synchronization

/// Masks personal data in text bound for logs: phone numbers (`+86138****8000`), emails
/// (`z***@example.com`) and message text (`"content":"***"`), and redacts secrets always —
/// registered secret values, `Bearer` tokens and `password=`/`token=`-style values.
/// `unmasked` lifts the personal-data masking (local debugging only); secrets stay redacted.
public struct PIIMasker: Sendable {
    public var unmasked: Bool

    public init(unmasked: Bool = false) {
        self.unmasked = unmasked
    }

    public static let redacted = "[redacted]"
    public static let maskedText = "***"

    private static let registry = Mutex<Set<String>>([])

    /// Registers secret values (tokens, keys, passwords) that must never appear in logs.
    /// Values shorter than 4 characters are ignored (they would mask ordinary words).
    public static func registerSecrets(_ values: [String]) {
        let kept = values.filter { $0.count >= 4 }
        guard !kept.isEmpty else { return }
        registry.withLock { $0.formUnion(kept) }
    }

    /// Registered secret values, longest first.
    static var secrets: [String] { registry.withLock { Array($0) }.sorted { $0.count > $1.count } }

    /// Keys whose values are secrets wherever they appear (`key=value`, `"key":"value"`, `key: value`).
    static let secretKeys = ["password", "passwd", "secret", "token", "api_key", "apikey", "authorization", "encodingaeskey", "aes_key"]
    /// JSON keys and XML elements whose values are message text.
    static let textKeys = ["content", "text", "body", "message", "comment"]

    /// The text with secrets redacted and, unless `unmasked`, personal data masked.
    public func mask(_ text: String) -> String {
        var result = text
        for secret in Self.secrets where result.contains(secret) {
            result = result.replacingAll(secret, with: Self.redacted)
        }
        result = Self.redactBearer(result)
        result = Self.redactKeyedValues(result, keys: Self.secretKeys, replacement: Self.redacted)
        guard !unmasked else { return result }
        result = Self.maskFormEncoded(result)
        result = Self.redactKeyedValues(result, keys: Self.textKeys, replacement: Self.maskedText, quotedOnly: true)
        result = Self.maskXMLText(result)
        result = Self.maskEmails(result)
        result = Self.maskPhones(result)
        return result
    }

    /// Masks one metadata value by its key: secret keys are redacted, text keys masked, others scanned.
    public func mask(value: String, key: String) -> String {
        let lower = key.lowercased()
        if Self.secretKeys.contains(where: { lower.contains($0) }) { return Self.redacted }
        if !unmasked && Self.textKeys.contains(lower) { return Self.maskedText }
        return mask(value)
    }

    // MARK: - Emails

    /// `zhang.san@example.com` → `z***@example.com`.
    static func maskEmails(_ text: String) -> String {
        guard text.contains("@") || text.contains("＠") else { return text }
        var chars = Array(text)
        var index = 0
        while index < chars.count {
            guard chars[index] == "@" || chars[index] == "＠" else { index += 1; continue }
            var localStart = index
            while localStart > 0, isLocalChar(chars[localStart - 1]) { localStart -= 1 }
            var domainEnd = index + 1
            while domainEnd < chars.count, isDomainChar(chars[domainEnd]) { domainEnd += 1 }
            while domainEnd > index + 1, chars[domainEnd - 1] == "." || chars[domainEnd - 1] == "-" { domainEnd -= 1 }
            let domain = chars[(index + 1)..<domainEnd]
            guard localStart < index, domain.contains("."), domain.last?.isLetter == true else { index += 1; continue }
            let replacement: [Character] = [chars[localStart], "*", "*", "*"]
            chars.replaceSubrange(localStart..<index, with: replacement)
            index = localStart + replacement.count + 1 + domain.count
        }
        return String(chars)
    }

    /// Letters and digits of any script (`josé`, `张三`), and the usual punctuation of local parts.
    private static func isLocalChar(_ char: Character) -> Bool {
        char.isLetter || char.isNumber || "._%+-".contains(char)
    }

    /// Internationalised domains (`例子.中国`, `exämple.com`) as well as ASCII ones.
    private static func isDomainChar(_ char: Character) -> Bool {
        char.isLetter || char.isNumber || char == "." || char == "-"
    }

    // MARK: - Keyed values

    /// `Bearer abc.def` → `Bearer [redacted]`.
    static func redactBearer(_ text: String) -> String {
        var result = ""
        var rest = Substring(text)
        while let range = rest.range(of: "Bearer ", options: .caseInsensitive) {
            result += rest[..<range.upperBound]
            let tail = rest[range.upperBound...]
            let end = tail.firstIndex { $0 == " " || $0 == "\"" || $0 == "," || $0 == "\n" || $0 == "'" } ?? tail.endIndex
            result += tail.startIndex == end ? "" : redacted
            rest = tail[end...]
        }
        return result + rest
    }

    /// Replaces the value after `key=`, `key: `, `"key":"` (any key containing one of `keys`).
    static func redactKeyedValues(_ text: String, keys: [String], replacement: String, quotedOnly: Bool = false) -> String {
        let lower = Array(text.lowercased())
        let chars = Array(text)
        guard lower.count == chars.count else { return text }
        var out: [Character] = []
        var index = 0
        while index < chars.count {
            var matched: Int?
            for key in keys {
                let keyChars = Array(key)
                guard index + keyChars.count <= lower.count, Array(lower[index..<(index + keyChars.count)]) == keyChars else { continue }
                matched = index + keyChars.count
                break
            }
            guard var cursor = matched else {
                out.append(chars[index])
                index += 1
                continue
            }
            // Extend over the rest of an identifier (`sasl.password`, `secret_env`, `"text"`).
            while cursor < chars.count, chars[cursor].isLetter || chars[cursor].isNumber || chars[cursor] == "_" || chars[cursor] == "." {
                cursor += 1
            }
            let keyEnd = cursor
            var sawQuoteAfterKey = false
            if cursor < chars.count, chars[cursor] == "\"" { cursor += 1; sawQuoteAfterKey = true }
            while cursor < chars.count, chars[cursor] == " " { cursor += 1 }
            guard cursor < chars.count, chars[cursor] == "=" || chars[cursor] == ":" else {
                out += chars[index..<keyEnd]
                index = keyEnd
                continue
            }
            cursor += 1
            while cursor < chars.count, chars[cursor] == " " { cursor += 1 }
            let quoted = cursor < chars.count && chars[cursor] == "\""
            if quotedOnly && !(quoted && sawQuoteAfterKey) {
                out += chars[index..<cursor]
                index = cursor
                continue
            }
            out += chars[index..<cursor]
            if quoted {
                out.append("\"")
                var end = cursor + 1
                while end < chars.count, chars[end] != "\"" {
                    end += chars[end] == "\\" ? 2 : 1
                }
                out += Array(replacement)
                if end < chars.count { out.append("\"") }
                index = min(end + 1, chars.count)
            } else {
                var end = cursor
                while end < chars.count, !" ,;&\n\t)}]'".contains(chars[end]) { end += 1 }
                if end > cursor { out += Array(replacement) }
                index = end
            }
        }
        return String(out)
    }

    /// `<Content><![CDATA[hello]]></Content>` → `<Content>***</Content>` (WeCom and similar XML).
    static func maskXMLText(_ text: String) -> String {
        guard text.contains("<") else { return text }
        var result = text
        for element in ["Content", "content", "Text", "text", "Body", "body"] {
            let open = "<\(element)>"
            let close = "</\(element)>"
            var searchStart = result.startIndex
            while let start = result.range(of: open, range: searchStart..<result.endIndex),
                  let end = result.range(of: close, range: start.upperBound..<result.endIndex) {
                result.replaceSubrange(start.upperBound..<end.lowerBound, with: maskedText)
                guard let next = result.range(of: close, range: start.upperBound..<result.endIndex) else { break }
                searchStart = next.upperBound
            }
        }
        return result
    }
}

extension String {
    fileprivate func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var result = ""
        var rest = Substring(self)
        while let range = rest.range(of: target) {
            result += rest[..<range.lowerBound]
            result += replacement
            rest = rest[range.upperBound...]
        }
        return result + rest
    }
}
