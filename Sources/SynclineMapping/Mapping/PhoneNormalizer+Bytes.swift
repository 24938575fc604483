/// The record path's phone normalisation: `normalize(_:)` over a byte range for numbers typed in
/// ASCII, written straight into the output as a JSON string, with no allocation. It declines (false)
/// non-ASCII text (full-width digits, ideographic spaces …) and every number the `String` version
/// refuses; the caller then asks that version, the reference (`PhoneNormalizerBytesTests` holds the
/// two to the same answers).
extension PhoneNormalizer {
    /// Appends `"+<E.164 digits>"` and returns true, or appends nothing and returns false.
    func appendNormalizedJSON(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, to out: inout [UInt8]) -> Bool {
        guard end > start, end &- start <= 64 else { return false }
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: end &- start) { digits in
            var count = 0
            var plus = false
            var index = start
            while index < end {
                let byte = bytes[index]
                switch byte {
                case 0x30...0x39:
                    digits[count] = byte
                    count &+= 1
                case 0x2B:
                    guard count == 0, !plus else { return false }
                    plus = true
                case 0x20, 0x2D, 0x2E, 0x28, 0x29, 0x2F, 0x09:
                    break
                default:
                    return false
                }
                index &+= 1
            }
            guard count > 0 else { return false }
            let number = UnsafeBufferPointer(rebasing: digits[0..<count])
            var low = 0
            var international = plus
            if !international {
                for prefix in internationalPrefixes where Self.has(number, low, prefix) && count &- low > prefix.utf8.count &+ 6 {
                    if prefix == "00", region.trunkPrefix == "0", Self.has(number, low, "000") { continue }
                    low &+= prefix.utf8.count
                    international = true
                    break
                }
            }
            let mark = out.count
            let written: Bool
            if international {
                written = appendInternational(number, low, into: &out)
            } else if region.callingCode == "86", Self.has(number, low, "86"), count &- low >= 12,
                Self.isChinaNational(number, low &+ 2)
            {
                written = Self.append(callingCode: "86", national: number, low &+ 2, into: &out)
            } else {
                if region.callingCode == "1", count &- low == 11, number[low] == UInt8(ascii: "1") {
                    low &+= 1
                } else if let trunk = region.trunkPrefix, region.callingCode != "1", Self.has(number, low, trunk) {
                    low &+= trunk.utf8.count
                }
                written = Self.append(callingCode: region.callingCode, national: number, low, into: &out)
            }
            if !written { out.removeLast(out.count &- mark) }
            return written
        }
    }

    /// `e164(international:)`: the calling code read from the digits.
    func appendInternational(_ number: UnsafeBufferPointer<UInt8>, _ start: Int, into out: inout [UInt8]) -> Bool {
        guard start < number.count, number[start] != UInt8(ascii: "0") else { return false }
        let first = number[start]
        var codeLength = 3
        if first == UInt8(ascii: "1") || first == UInt8(ascii: "7") {
            codeLength = 1
        } else if number.count &- start >= 2, Self.isTwoDigitCode(number[start], number[start &+ 1]) {
            codeLength = 2
        }
        codeLength = min(codeLength, number.count &- start)
        var national = start &+ codeLength
        let isItaly = codeLength == 2 && number[start] == UInt8(ascii: "3") && number[start &+ 1] == UInt8(ascii: "9")
        if national < number.count, number[national] == UInt8(ascii: "0"), !isItaly { national &+= 1 }
        return Self.append(code: UnsafeBufferPointer(rebasing: number[start..<(start &+ codeLength)]), national: number, national, into: &out)
    }

    static func isTwoDigitCode(_ a: UInt8, _ b: UInt8) -> Bool {
        twoDigitTable[Int(a &- 0x30) &* 10 &+ Int(b &- 0x30)]
    }

    /// `twoDigitCodes` indexed by the code's value.
    static let twoDigitTable: [Bool] = (0..<100).map { twoDigitCodes.contains(String(format2: $0)) }

    static func append(callingCode: String, national number: UnsafeBufferPointer<UInt8>, _ start: Int, into out: inout [UInt8]) -> Bool {
        var code = callingCode
        return code.withUTF8 { append(code: $0, national: number, start, into: &out) }
    }

    /// `e164(callingCode:national:)`: validates and writes `"+<code><national>"`.
    static func append(code: UnsafeBufferPointer<UInt8>, national number: UnsafeBufferPointer<UInt8>, _ start: Int, into out: inout [UInt8]) -> Bool {
        let length = number.count &- start
        if code.count == 2, code[0] == UInt8(ascii: "8"), code[1] == UInt8(ascii: "6") {
            guard isChinaNational(number, start) else { return false }
        } else if code.count == 1, code[0] == UInt8(ascii: "1") {
            guard length == 10, number[start] >= UInt8(ascii: "2"), number[start &+ 3] >= UInt8(ascii: "2") else { return false }
        } else {
            let isItaly = code.count == 2 && code[0] == UInt8(ascii: "3") && code[1] == UInt8(ascii: "9")
            if length > 0, number[start] == UInt8(ascii: "0"), !isItaly { return false }
            let total = code.count &+ length
            guard length >= 4, total >= 8, total <= 15 else { return false }
        }
        out.append(UInt8(ascii: "\""))
        out.append(UInt8(ascii: "+"))
        out.append(contentsOf: code)
        out.append(contentsOf: UnsafeBufferPointer(rebasing: number[start...]))
        out.append(UInt8(ascii: "\""))
        return true
    }

    /// `validateChina` succeeds on `number[start...]`.
    static func isChinaNational(_ number: UnsafeBufferPointer<UInt8>, _ start: Int) -> Bool {
        let count = number.count &- start
        guard count > 0 else { return false }
        let first = number[start]
        if first == UInt8(ascii: "1") {
            if count >= 2, number[start &+ 1] == UInt8(ascii: "0") { return count == 10 }
            guard count == 11 else { return false }
            return number[start &+ 1] >= UInt8(ascii: "3")
        }
        if first == UInt8(ascii: "0") { return false }
        if has(number, start, "400") || has(number, start, "800") { return count == 10 }
        let areaLength = first == UInt8(ascii: "2") ? 2 : 3
        let subscriber = count &- areaLength
        guard subscriber >= 7, subscriber <= 8 else { return false }
        let lead = number[start &+ areaLength]
        return lead != UInt8(ascii: "0") && lead != UInt8(ascii: "1")
    }

    /// `number[start...]` begins with `prefix` (ASCII).
    static func has(_ number: UnsafeBufferPointer<UInt8>, _ start: Int, _ prefix: String) -> Bool {
        var index = start
        for byte in prefix.utf8 {
            guard index < number.count, number[index] == byte else { return false }
            index &+= 1
        }
        return true
    }
}

extension String {
    /// Two decimal digits, zero-padded.
    fileprivate init(format2 value: Int) {
        self = value < 10 ? "0\(value)" : "\(value)"
    }
}
