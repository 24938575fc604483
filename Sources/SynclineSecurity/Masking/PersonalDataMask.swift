/// Masks personal data in what the admin API, the status page and `syncline dlq list` show by
/// default (the caller presenting the admin token may ask for it unmasked): DLQ reasons and alert
/// messages quote rejected values (`phone '12345' omitted: '12345': too short`), so every quoted
/// value is masked as well as anything the log masker recognises.
public enum PersonalDataMask {
    /// Free text written by the hub about a record: quoted values become `***`, then phones,
    /// emails and secrets are masked as in logs.
    public static func text(_ text: String) -> String {
        PIIMasker().mask(maskQuoted(text))
    }

    /// An identifier that names a person (a phone number, a chat external user id): the last four
    /// characters of a phone number stay, other identifiers keep their first and last two.
    public static func identifier(_ value: String) -> String {
        let masked = PIIMasker().mask(value)
        if masked != value { return masked }
        let chars = Array(value)
        if chars.filter(PIIMasker.isPhoneDigit).count >= 6 {
            let kept = chars.suffix(4)
            return String(chars.dropLast(4).map { PIIMasker.isPhoneDigit($0) ? "*" : $0 }) + String(kept)
        }
        guard chars.count > 6 else { return PIIMasker.maskedText }
        return String(chars.prefix(2)) + PIIMasker.maskedText + String(chars.suffix(2))
    }

    /// `'12345'` → `'***'`, `"abc"` → `"***"`: a quote opens after a non-word character and closes
    /// before one; an apostrophe inside a word (`connector's`) opens nothing.
    static func maskQuoted(_ text: String) -> String {
        let chars = Array(text)
        var out: [Character] = []
        out.reserveCapacity(chars.count)
        var index = 0
        func isWord(_ char: Character) -> Bool { char.isLetter || char.isNumber || char == "_" }
        while index < chars.count {
            let char = chars[index]
            let opens = (char == "'" || char == "\"") && (index == 0 || !isWord(chars[index - 1]))
            guard opens else {
                out.append(char)
                index += 1
                continue
            }
            var close = index + 1
            while close < chars.count, !(chars[close] == char && (close + 1 == chars.count || !isWord(chars[close + 1]))) {
                close += 1
            }
            guard close < chars.count else {
                out.append(char)
                index += 1
                continue
            }
            out.append(char)
            if close > index + 1 { out += Array(PIIMasker.maskedText) }
            out.append(char)
            index = close + 1
        }
        return String(out)
    }
}
