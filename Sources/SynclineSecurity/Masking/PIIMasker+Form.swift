import Foundation

extension PIIMasker {
    /// Form-encoded text (`From=%2B14155550100&Body=call+me`, Twilio's bodies): message-text
    /// parameters (`Body`, `Content`, …) become `***`, and a parameter whose decoded value holds a
    /// phone or email is replaced by its masked decoded value. Other parameters are left as written.
    static func maskFormEncoded(_ text: String) -> String {
        guard text.contains("=") else { return text }
        var out = ""
        var token = ""
        for char in text {
            if char.isWhitespace || char == "\"" || char == "'" || char == "," {
                out += maskFormToken(token)
                out.append(char)
                token = ""
            } else {
                token.append(char)
            }
        }
        return out + maskFormToken(token)
    }

    private static func maskFormToken(_ token: String) -> String {
        guard let equals = token.firstIndex(of: "="), equals != token.startIndex,
              token[..<equals].allSatisfy({ $0.isLetter || $0.isNumber || "_.-[]%".contains($0) }) else { return token }
        return token.split(separator: "&", omittingEmptySubsequences: false).map { pair -> String in
            guard let sign = pair.firstIndex(of: "=") else { return String(pair) }
            let name = pair[..<sign]
            let value = pair[pair.index(after: sign)...]
            if textKeys.contains(formDecode(name).lowercased()) { return value.isEmpty ? String(pair) : name + "=" + maskedText }
            let decoded = formDecode(value)
            guard decoded != value else { return String(pair) }
            let masked = maskPhones(maskEmails(decoded))
            return masked == decoded ? String(pair) : name + "=" + masked
        }.joined(separator: "&")
    }

    /// `+` is a space and `%XX` an escaped byte; undecodable text stays as written.
    private static func formDecode(_ text: Substring) -> String {
        let spaced = text.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }
}
