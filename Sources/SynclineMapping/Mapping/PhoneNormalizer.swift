/// Normalises phone numbers as people type them (`+86 138-0013-8000`, `0086 138 0013 8000`,
/// `(021) 5888 1234`, `+1 (415) 555-0100`) to E.164 (`+8613800138000`), with a default region for
/// numbers written without a country code. Failures say why (letters, too short, too long, …).
public struct PhoneNormalizer: Sendable {
    /// A region's calling code and national trunk prefix.
    public struct Region: Sendable, Equatable {
        public var code: String
        public var callingCode: String
        /// Digit(s) dialled before a national number (`0` in China, `1` in the NANP), stripped.
        public var trunkPrefix: String?
        /// The international call prefix besides `00` (`011` in the NANP).
        public var internationalPrefix: String
    }

    /// Regions with a known calling code (ISO 3166 alpha-2). Add here when a new market needs one.
    public static let regions: [String: Region] = {
        let table: [(String, String, String?, String)] = [
            ("CN", "86", "0", "00"), ("US", "1", "1", "011"), ("CA", "1", "1", "011"), ("GB", "44", "0", "00"),
            ("HK", "852", nil, "00"), ("MO", "853", nil, "00"), ("TW", "886", "0", "00"), ("SG", "65", nil, "000"),
            ("JP", "81", "0", "010"), ("KR", "82", "0", "00"), ("DE", "49", "0", "00"), ("FR", "33", "0", "00"),
            ("AU", "61", "0", "0011"), ("IN", "91", "0", "00"), ("MY", "60", "0", "00"), ("TH", "66", "0", "001"),
            ("VN", "84", "0", "00"), ("PH", "63", "0", "00"), ("ID", "62", "0", "001"),
        ]
        var regions: [String: Region] = [:]
        for (code, calling, trunk, international) in table {
            regions[code] = Region(code: code, callingCode: calling, trunkPrefix: trunk, internationalPrefix: international)
        }
        return regions
    }()

    /// Two-digit ITU calling codes; `1` and `7` are the one-digit ones; other prefixes are three digits.
    static let twoDigitCodes: Set<String> = [
        "20", "27", "30", "31", "32", "33", "34", "36", "39", "40", "41", "43", "44", "45", "46", "47", "48", "49",
        "51", "52", "53", "54", "55", "56", "57", "58", "60", "61", "62", "63", "64", "65", "66", "81", "82", "84",
        "86", "90", "91", "92", "93", "94", "95", "98",
    ]

    public let region: Region
    let internationalPrefixes: [String]

    /// Nil when the region code is unknown.
    public init?(defaultRegion: String) {
        guard let region = Self.regions[defaultRegion.uppercased()] else { return nil }
        self.region = region
        self.internationalPrefixes = region.internationalPrefix == "00" ? ["00"] : ["00", region.internationalPrefix]
    }

    /// Why a number cannot be normalised.
    public struct Failure: Error, Sendable, Equatable {
        public var reason: String
    }

    public func normalize(_ input: String) throws(Failure) -> String {
        var digits: [UInt8] = []
        digits.reserveCapacity(16)
        var plus = false
        for scalar in input.unicodeScalars {
            var value = scalar.value
            // Full-width digits, plus and hyphen (typed with a Chinese IME).
            if (0xFF10...0xFF19).contains(value) { value = value - 0xFF10 + 0x30 }
            if value == 0xFF0B { value = 0x2B }
            switch value {
            case 0x30...0x39:
                digits.append(UInt8(value))
            case 0x2B:  // +
                guard digits.isEmpty, !plus else { throw Failure(reason: "'+' may only start the number") }
                plus = true
            case 0x20, 0x2D, 0x2E, 0x28, 0x29, 0x2F, 0xA0, 0x3000, 0xFF0D, 0x2010...0x2015, 0xFF08, 0xFF09, 0x09:
                continue  // separators: space, - . ( ) / nbsp, ideographic space, dashes, full-width parens
            default:
                if scalar.properties.isAlphabetic {
                    throw Failure(reason: "contains letters ('\(Character(scalar))')")
                }
                throw Failure(reason: "contains the character '\(Character(scalar))'")
            }
        }
        guard !digits.isEmpty else { throw Failure(reason: "contains no digits") }
        var number = String(decoding: digits, as: UTF8.self)
        var international = plus
        if !international {
            for prefix in internationalPrefixes where number.hasPrefix(prefix) && number.count > prefix.count + 6 {
                // "0086 …" / "011 1 …": an international call prefix.
                if prefix == "00", region.trunkPrefix == "0", number.hasPrefix("000") { continue }
                number.removeFirst(prefix.count)
                international = true
                break
            }
        }
        if international {
            return try e164(international: number)
        }
        // China: "8613800138000" — the country code typed without + or 00.
        if region.callingCode == "86", number.hasPrefix("86"), number.count >= 12,
            let national = try? validateChina(String(number.dropFirst(2)))
        {
            return "+86" + national
        }
        // NANP: "1 415 555 0100"
        if region.callingCode == "1", number.count == 11, number.hasPrefix("1") {
            number.removeFirst()
        } else if let trunk = region.trunkPrefix, region.callingCode != "1", number.hasPrefix(trunk) {
            number.removeFirst(trunk.count)
        }
        return try e164(callingCode: region.callingCode, national: number)
    }

    func e164(international number: String) throws(Failure) -> String {
        guard let first = number.first, first != "0" else { throw Failure(reason: "country code cannot start with 0") }
        let callingCode: String
        if first == "1" || first == "7" {
            callingCode = String(first)
        } else if Self.twoDigitCodes.contains(String(number.prefix(2))) {
            callingCode = String(number.prefix(2))
        } else {
            callingCode = String(number.prefix(3))
        }
        var national = String(number.dropFirst(callingCode.count))
        // "+86 (0)10 …": a trunk prefix written after the country code.
        if national.hasPrefix("0"), callingCode != "39" { national.removeFirst() }
        return try e164(callingCode: callingCode, national: national)
    }

    func e164(callingCode: String, national: String) throws(Failure) -> String {
        switch callingCode {
        case "86": return "+86" + (try validateChina(national))
        case "1": return "+1" + (try validateNANP(national))
        default:
            // A national significant number never starts with 0 (Italy's fixed lines aside): "+852 0…"
            // would not be a number, and normalising it again would give another.
            if national.hasPrefix("0"), callingCode != "39" {
                throw Failure(reason: "the number after the country code +\(callingCode) cannot start with 0")
            }
            let total = callingCode.count + national.count
            if national.count < 4 || total < 8 {
                throw Failure(reason: "too short (\(national.count) digits after country code +\(callingCode))")
            }
            if total > 15 { throw Failure(reason: "too long (\(total) digits; E.164 allows at most 15)") }
            return "+" + callingCode + national
        }
    }

    /// Chinese national numbers without the trunk 0: mobile `1[3-9]` + 9 digits; landline area code
    /// (`10`, `2x`: 2 digits, others 3 digits) + 7–8 digit subscriber; `400`/`800` service numbers.
    func validateChina(_ national: String) throws(Failure) -> String {
        let digits = Array(national.utf8)
        let count = digits.count
        guard let first = digits.first else { throw Failure(reason: "too short (no digits after the country code)") }
        func digit(_ index: Int) -> UInt8 { digits[index] - 0x30 }
        if first == UInt8(ascii: "1") {
            if count >= 2, digit(1) == 0 {
                // Beijing area code 10 + 8-digit subscriber.
                guard count >= 10 else { throw Failure(reason: "too short (Beijing landline 010 needs 8 digits after the area code, found \(count - 2))") }
                guard count == 10 else { throw Failure(reason: "too long (Beijing landline 010 has 8 digits after the area code, found \(count - 2))") }
                return national
            }
            guard count >= 11 else { throw Failure(reason: "too short (\(count) digits; a Chinese mobile number has 11)") }
            guard count == 11 else { throw Failure(reason: "too long (\(count) digits; a Chinese mobile number has 11)") }
            guard count >= 2, (3...9).contains(digit(1)) else {
                throw Failure(reason: "not a Chinese mobile number (mobile numbers start 13–19)")
            }
            return national
        }
        if first == UInt8(ascii: "0") { throw Failure(reason: "unexpected extra 0 after the trunk prefix") }
        if (national.hasPrefix("400") || national.hasPrefix("800")) {
            guard count == 10 else { throw Failure(reason: "\(count < 10 ? "too short" : "too long") (400/800 numbers have 10 digits, found \(count))") }
            return national
        }
        let areaLength = first == UInt8(ascii: "2") ? 2 : 3
        let subscriber = count - areaLength
        if subscriber < 7 {
            throw Failure(reason: "too short (\(count) digits; a Chinese landline is a \(areaLength + 1)-digit area code with 0 plus 7–8 digits)")
        }
        if subscriber > 8 {
            throw Failure(reason: "too long (\(count) digits; a Chinese landline is a \(areaLength + 1)-digit area code with 0 plus 7–8 digits)")
        }
        guard digits[areaLength] != UInt8(ascii: "0"), digits[areaLength] != UInt8(ascii: "1") else {
            throw Failure(reason: "landline subscriber numbers cannot start with 0 or 1")
        }
        return national
    }

    /// NANP: 10 digits, area code and exchange starting 2–9.
    func validateNANP(_ national: String) throws(Failure) -> String {
        let digits = Array(national.utf8)
        guard digits.count >= 10 else { throw Failure(reason: "too short (\(digits.count) digits; a North American number has 10)") }
        guard digits.count == 10 else { throw Failure(reason: "too long (\(digits.count) digits; a North American number has 10)") }
        guard digits[0] >= UInt8(ascii: "2"), digits[3] >= UInt8(ascii: "2") else {
            throw Failure(reason: "area code and exchange must start with 2–9")
        }
        return national
    }
}
