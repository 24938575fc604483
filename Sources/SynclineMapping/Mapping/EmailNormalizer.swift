/// Trims an email address, lower-cases its domain (the local part is case-sensitive by RFC 5321)
/// and checks a sane syntax: one `@`, a dot-atom local part, a domain of at least two labels.
public enum EmailNormalizer {
    /// Why an address was refused.
    public struct Failure: Error, Sendable, Equatable {
        public var reason: String
    }

    static let localSpecials: Set<UInt8> = Set("!#$%&'*+/=?^_`{|}~-.".utf8)

    public static func normalize(_ input: String) throws(Failure) -> String {
        var text = TextTrim.trim(input)
        if let first = text.utf8.first, first | 0x20 == UInt8(ascii: "m"), text.lowercased().hasPrefix("mailto:") { text = String(text.dropFirst(7)) }
        if text.hasPrefix("<"), text.hasSuffix(">"), text.count > 2 { text = String(text.dropFirst().dropLast()) }
        guard !text.isEmpty else { throw Failure(reason: "empty") }
        let bytes = Array(text.utf8)
        var at = -1
        for (index, byte) in bytes.enumerated() where byte == UInt8(ascii: "@") {
            guard at < 0 else { throw Failure(reason: "more than one '@'") }
            at = index
        }
        guard at >= 0 else { throw Failure(reason: "no '@'") }
        let local = bytes[..<at]
        let domainBytes = bytes[(at + 1)...]
        guard !local.isEmpty else { throw Failure(reason: "nothing before '@'") }
        guard local.count <= 64 else { throw Failure(reason: "the part before '@' is longer than 64 characters") }
        let dot = UInt8(ascii: ".")
        guard local.first != dot, local.last != dot else { throw Failure(reason: "misplaced '.' before '@'") }
        var previous: UInt8 = 0
        for byte in local {
            let ok = (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte >= 0x80 || localSpecials.contains(byte)
            guard ok else {
                throw Failure(reason: byte == 0x20 ? "contains a space" : "invalid character '\(Character(Unicode.Scalar(byte)))' before '@'")
            }
            if byte == dot, previous == dot { throw Failure(reason: "misplaced '.' before '@'") }
            previous = byte
        }
        guard !domainBytes.isEmpty else { throw Failure(reason: "nothing after '@'") }
        let needsLowering = domainBytes.contains { ($0 >= 0x41 && $0 <= 0x5A) || $0 >= 0x80 }
        let domain = needsLowering ? String(decoding: domainBytes, as: UTF8.self).lowercased() : String(decoding: domainBytes, as: UTF8.self)
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2 else { throw Failure(reason: "domain '\(domain)' has no '.'") }
        for label in labels {
            guard !label.isEmpty, label.utf8.count <= 63 else { throw Failure(reason: "domain '\(domain)' has an empty or over-long label") }
            guard label.utf8.first != UInt8(ascii: "-"), label.utf8.last != UInt8(ascii: "-") else {
                throw Failure(reason: "domain label '\(label)' starts or ends with '-'")
            }
            for scalar in label.unicodeScalars {
                if scalar.isASCII {
                    let byte = UInt8(scalar.value)
                    if (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39) || byte == 0x2D { continue }
                }
                let ok = scalar.properties.isAlphabetic
                guard ok else { throw Failure(reason: "invalid character '\(Character(scalar))' in domain '\(domain)'") }
            }
        }
        if let tld = labels.last, tld.utf8.count < 2 || tld.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
            throw Failure(reason: "top-level domain '\(tld)' is not valid")
        }
        guard bytes.count <= 254 else { throw Failure(reason: "longer than 254 characters") }
        if !needsLowering { return text }
        return String(decoding: local, as: UTF8.self) + "@" + domain
    }

    public static func isValid(_ text: String) -> Bool {
        (try? normalize(text)) == text
    }
}
