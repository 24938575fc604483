extension PIIMasker {
    /// Masks phone numbers in the shapes people and vendors write them: `+8613812348000`,
    /// `+1 (415) 555-0100`, `(415) 555-0100`, `415 555 0100`, `415.555.0100`, `0086 138 0013 8000`,
    /// `(021) 5888 1234`, `138-1234-8000`, full-width digits, and bare national numbers of the
    /// NANP and China (`4155550100`, `13812348000`, `02158881234`). The country code and operator
    /// prefix stay, the last four digits stay, at least three digits in between are masked.
    /// Not masked: bare 7–9 digit runs (indistinguishable from counts and ids), dates
    /// (`2024-06-01`), IPv4-looking and decimal (`1234.567`) runs.
    static func maskPhones(_ text: String) -> String {
        let chars = Array(text)
        var out: [Character] = []
        out.reserveCapacity(chars.count)
        var index = 0
        while index < chars.count {
            let previous = index > 0 ? chars[index - 1] : " "
            let startsToken = !(previous.isLetter || previous.isNumber || previous == "_" || previous == "+" || previous == "＋")
            if startsToken, let end = phoneEnd(chars, from: index) {
                out += maskDigits(Array(chars[index..<end]))
                index = end
            } else {
                out.append(chars[index])
                index += 1
            }
        }
        return String(out)
    }

    /// ASCII and full-width (IME) digits.
    static func isPhoneDigit(_ char: Character) -> Bool {
        guard let scalar = char.unicodeScalars.first, char.unicodeScalars.count == 1 else { return false }
        return (0x30...0x39).contains(scalar.value) || (0xFF10...0xFF19).contains(scalar.value)
    }

    /// The separators `PhoneNormalizer` skips: space, - . ( ) /, nbsp, ideographic space, dashes, full-width parens and dash.
    private static func isSeparator(_ char: Character) -> Bool {
        guard let scalar = char.unicodeScalars.first, char.unicodeScalars.count == 1 else { return false }
        switch scalar.value {
        case 0x20, 0x2D, 0x2E, 0x28, 0x29, 0x2F, 0xA0, 0x3000, 0xFF0D, 0x2010...0x2015, 0xFF08, 0xFF09: return true
        default: return false
        }
    }

    private static func isOpeningParen(_ char: Character) -> Bool { char == "(" || char == "（" }

    private static func isPlus(_ char: Character) -> Bool { char == "+" || char == "＋" }

    /// Where a phone number starting at `start` ends, or nil when none starts there.
    private static func phoneEnd(_ chars: [Character], from start: Int) -> Int? {
        var index = start
        // `(+86) …`: a parenthesised country code.
        if isOpeningParen(chars[index]), index + 1 < chars.count, isPlus(chars[index + 1]) { index += 1 }
        let plus = isPlus(chars[index])
        if plus { index += 1 }
        if index < chars.count, isOpeningParen(chars[index]) { index += 1 }
        guard index < chars.count, isPhoneDigit(chars[index]) else { return nil }
        var groups: [Int] = []
        var separators: [Character] = []
        var current = 0
        var end = index
        while index < chars.count {
            if isPhoneDigit(chars[index]) {
                current += 1
                index += 1
                end = index
                continue
            }
            // At most two separators in a row (`) `, ` (`), and only when a digit follows.
            var next = index
            while next < chars.count, next - index < 3, isSeparator(chars[next]) { next += 1 }
            guard next > index, next - index <= 2, next < chars.count, isPhoneDigit(chars[next]) else { break }
            groups.append(current)
            current = 0
            separators += chars[index..<next]
            index = next
        }
        groups.append(current)
        if end < chars.count {
            let after = chars[end]
            if after.isLetter || after.isNumber || after == "_" || after == "@" { return nil }
        }
        let digits = groups.reduce(0, +)
        if plus { return (8...15).contains(digits) ? end : nil }
        if digits > 19 { return nil }
        if groups.count == 1 {
            let text = chars[start..<end].filter(isPhoneDigit).map(asciiDigit)
            return isBareNational(text) ? end : nil
        }
        // Up to 19 digits: an international call prefix (`00`, `011`, `0011`) before 15 digits.
        guard (7...19).contains(digits), let first = groups.first, let last = groups.last, first <= 5, last >= 3 else { return nil }
        if groups.count == 2 && separators.allSatisfy({ $0 == "." }) { return nil }
        return end
    }

    private static func asciiDigit(_ char: Character) -> UInt8 {
        let value = char.unicodeScalars.first?.value ?? 0x30
        return UInt8(value >= 0xFF10 ? value - 0xFF10 + 0x30 : value)
    }

    /// Unseparated runs that are phone numbers in the regions the shipped connectors default to.
    private static func isBareNational(_ digits: [UInt8]) -> Bool {
        let count = digits.count
        func at(_ index: Int) -> UInt8 { digits[index] - 0x30 }
        guard count >= 10, count <= 19 else { return false }
        if at(0) == 0 { return !(at(1) == 0 && at(2) == 0 && count < 12) }  // trunk 0, or an international prefix
        switch count {
        case 10: return at(0) >= 2 && at(3) >= 2                                // NANP; CN 400/800
        case 11: return at(0) == 1 && at(1) >= 2                                // CN mobile; 1 + NANP
        case 12, 13: return at(0) == 8 && at(1) == 6                             // 86 + CN national
        default: return false
        }
    }

    private static func maskDigits(_ chars: [Character]) -> [Character] {
        let positions = chars.indices.filter { isPhoneDigit(chars[$0]) }
        let count = positions.count
        let tail = 4
        // Keep the country code and operator prefix, the last four digits, and mask at least three.
        let leadKept = min(max(count - 8, 0), 5)
        var copy = chars
        for (ordinal, position) in positions.enumerated() where ordinal >= leadKept && ordinal < count - tail {
            copy[position] = "*"
        }
        return copy
    }
}
