/// Why a payload is not strict RFC 8259 JSON, with the byte offset of the problem, so a DLQ
/// message can point at the exact place in the original bytes.
public struct JSONParseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kinds of malformation the parser tells apart.
    public enum Kind: Sendable, Equatable {
        case emptyInput
        case truncated
        case unexpectedCharacter(found: String, expected: String)
        case tooDeep(limit: Int)
        case duplicateKey(String)
        case controlCharacterInString(UInt8)
        case invalidEscape(String)
        case loneSurrogate
        case invalidNumber(String)
        case trailingData
        case invalidUTF8
    }

    public var kind: Kind
    /// Byte offset (0-based) in the input where the problem was found.
    public var offset: Int

    public init(_ kind: Kind, at offset: Int) {
        self.kind = kind
        self.offset = offset
    }

    /// A short stable token for the kind (used as a suffix in messages and tests).
    public var reason: String {
        switch kind {
        case .emptyInput: return "empty_input"
        case .truncated: return "truncated"
        case .unexpectedCharacter: return "unexpected_character"
        case .tooDeep: return "too_deep"
        case .duplicateKey: return "duplicate_key"
        case .controlCharacterInString: return "control_character"
        case .invalidEscape: return "invalid_escape"
        case .loneSurrogate: return "lone_surrogate"
        case .invalidNumber: return "invalid_number"
        case .trailingData: return "trailing_data"
        case .invalidUTF8: return "invalid_utf8"
        }
    }

    public var description: String {
        switch kind {
        case .emptyInput:
            return "empty input: no JSON value"
        case .truncated:
            return "input ends too early at byte \(offset) (truncated JSON)"
        case .unexpectedCharacter(let found, let expected):
            return "unexpected \(found) at byte \(offset), expected \(expected)"
        case .tooDeep(let limit):
            return "nesting deeper than \(limit) levels at byte \(offset)"
        case .duplicateKey(let key):
            return "duplicate key \"\(key)\" at byte \(offset)"
        case .controlCharacterInString(let byte):
            let hex = String(byte, radix: 16, uppercase: true)
            return "raw control character 0x\(hex.count < 2 ? "0" + hex : hex) inside a string at byte \(offset) (must be escaped)"
        case .invalidEscape(let text):
            return "invalid escape \(text) at byte \(offset)"
        case .loneSurrogate:
            return "lone UTF-16 surrogate in a \\u escape at byte \(offset)"
        case .invalidNumber(let text):
            return "invalid number '\(text)' at byte \(offset)"
        case .trailingData:
            return "unexpected data after the JSON value at byte \(offset)"
        case .invalidUTF8:
            return "invalid UTF-8 at byte \(offset)"
        }
    }
}
