/// Fast whitespace trimming and emptiness checks for the per-record path (Foundation's
/// `trimmingCharacters` is far slower); handles ASCII and Unicode whitespace such as U+3000.
enum TextTrim {
    @inline(__always)
    static func isSpace(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII {
            let value = scalar.value
            return value == 0x20 || (value >= 0x09 && value <= 0x0D)
        }
        // Unicode White_Space outside ASCII, listed to avoid a property lookup per character.
        switch scalar.value {
        case 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000: return true
        default: return false
        }
    }

    static func trim(_ text: String) -> String {
        let scalars = text.unicodeScalars
        guard let first = scalars.first, let last = scalars.last else { return text }
        if !isSpace(first), !isSpace(last) { return text }
        guard let start = scalars.firstIndex(where: { !isSpace($0) }),
            let end = scalars.lastIndex(where: { !isSpace($0) })
        else { return "" }
        return String(scalars[start...end])
    }

    static func isBlank(_ text: String) -> Bool {
        for scalar in text.unicodeScalars where !isSpace(scalar) { return false }
        return true
    }
}
