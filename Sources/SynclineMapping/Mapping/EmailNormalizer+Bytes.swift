/// The record path's email normalisation: `normalize(_:)` over a byte range for ASCII addresses,
/// written straight into the output, with no allocation. It declines (nil) non-ASCII text and
/// anything the `String` version would refuse, and the caller then asks that version, the
/// reference (`EmailNormalizerBytesTests` holds the two to the same answers).
extension EmailNormalizer {
    /// Appends the normalised address of `bytes[start..<end]` as a JSON string and returns true; or
    /// appends nothing and returns false (a non-ASCII or control byte, or an address the reference
    /// refuses). The address is written unescaped: every byte a valid ASCII address may hold is plain.
    static func appendNormalizedJSON(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, to out: inout [UInt8]) -> Bool {
        var index = start
        while index < end {
            guard bytes[index] >= 0x20, bytes[index] < 0x7F else { return false }
            index &+= 1
        }
        var (low, high) = ByteText.trim(bytes, start, end)
        if high &- low >= 7, bytes[low] | 0x20 == UInt8(ascii: "m"), hasMailtoPrefix(bytes, low) { low &+= 7 }
        if high &- low > 2, bytes[low] == UInt8(ascii: "<"), bytes[high &- 1] == UInt8(ascii: ">") {
            low &+= 1
            high &-= 1
        }
        guard low < high, high &- low <= 254 else { return false }
        var at = -1
        index = low
        while index < high {
            if bytes[index] == UInt8(ascii: "@") {
                guard at < 0 else { return false }
                at = index
            }
            index &+= 1
        }
        guard at > low, at &- low <= 64, at &+ 1 < high else { return false }
        let dot = UInt8(ascii: ".")
        guard bytes[low] != dot, bytes[at &- 1] != dot else { return false }
        var previous: UInt8 = 0
        index = low
        while index < at {
            let byte = bytes[index]
            guard isAlphanumeric(byte) || localSpecials.contains(byte) else { return false }
            if byte == dot, previous == dot { return false }
            previous = byte
            index &+= 1
        }
        // Domain labels, lower-cased: a–z, 0–9 and inner '-', 1–63 bytes; at least two; the last
        // at least two bytes and not all digits.
        var labels = 0
        var labelStart = at &+ 1
        var allDigits = true
        index = at &+ 1
        while index <= high {
            if index == high || bytes[index] == dot {
                let length = index &- labelStart
                guard length >= 1, length <= 63, bytes[labelStart] != UInt8(ascii: "-"), bytes[index &- 1] != UInt8(ascii: "-") else {
                    return false
                }
                labels &+= 1
                if index == high { guard length >= 2, !allDigits else { return false } }
                labelStart = index &+ 1
                allDigits = true
            } else {
                let byte = bytes[index]
                guard isAlphanumeric(byte) || byte == UInt8(ascii: "-") else { return false }
                if byte < 0x30 || byte > 0x39 { allDigits = false }
            }
            index &+= 1
        }
        guard labels >= 2 else { return false }
        out.append(UInt8(ascii: "\""))
        out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[low...at]))
        index = at &+ 1
        while index < high {
            let byte = bytes[index]
            out.append(byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte)
            index &+= 1
        }
        out.append(UInt8(ascii: "\""))
        return true
    }

    @inline(__always)
    static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
    }

    static func hasMailtoPrefix(_ bytes: UnsafeBufferPointer<UInt8>, _ at: Int) -> Bool {
        let prefix: StaticString = "mailto:"
        let letters = prefix.utf8Start
        for offset in 0..<7 {
            let byte = bytes[at &+ offset]
            let lowered = byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
            guard lowered == letters[offset] else { return false }
        }
        return true
    }
}
