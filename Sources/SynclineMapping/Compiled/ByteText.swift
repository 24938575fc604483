/// Byte-level versions of the text operations the interpreter applies to `String`s — trimming
/// (`TextTrim`), blank checks, scalar counts and JSON string escaping (`JSONWriter.writeString`) —
/// over valid UTF-8 ranges of a buffer, so the compiled path needs no `String`.
enum ByteText {
    /// The scalar ending just before `end` and its first byte (valid UTF-8 assumed).
    @inline(__always)
    static func scalar(endingAt end: Int, in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> (Unicode.Scalar, Int) {
        var first = end &- 1
        while first > start, bytes[first] & 0xC0 == 0x80 { first &-= 1 }
        return (decode(at: first, in: bytes), first)
    }

    /// The scalar starting at `index` and its length (valid UTF-8 assumed).
    @inline(__always)
    static func scalar(at index: Int, in bytes: UnsafeBufferPointer<UInt8>) -> (Unicode.Scalar, Int) {
        let lead = bytes[index]
        let length = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4
        return (decode(at: index, in: bytes), length)
    }

    static func decode(at index: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Unicode.Scalar {
        let lead = UInt32(bytes[index])
        var value: UInt32
        if lead < 0x80 {
            value = lead
        } else if lead < 0xE0 {
            value = (lead & 0x1F) << 6 | UInt32(bytes[index &+ 1] & 0x3F)
        } else if lead < 0xF0 {
            value = (lead & 0x0F) << 12 | UInt32(bytes[index &+ 1] & 0x3F) << 6 | UInt32(bytes[index &+ 2] & 0x3F)
        } else {
            value = (lead & 0x07) << 18 | UInt32(bytes[index &+ 1] & 0x3F) << 12 | UInt32(bytes[index &+ 2] & 0x3F) << 6
                | UInt32(bytes[index &+ 3] & 0x3F)
        }
        return Unicode.Scalar(value) ?? " "
    }

    /// `TextTrim.trim` on `bytes[start..<end]`: the range without surrounding whitespace scalars.
    static func trim(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> (Int, Int) {
        var low = start
        while low < end {
            let (scalar, length) = scalar(at: low, in: bytes)
            guard TextTrim.isSpace(scalar) else { break }
            low &+= length
        }
        var high = end
        while high > low {
            let (scalar, first) = scalar(endingAt: high, in: bytes, from: low)
            guard TextTrim.isSpace(scalar) else { break }
            high = first
        }
        return (low, high)
    }

    /// Number of scalars (`unicodeScalars.count`): bytes that do not continue a sequence.
    static func scalarCount(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Int {
        var count = 0
        var index = start
        while index < end {
            if bytes[index] & 0xC0 != 0x80 { count &+= 1 }
            index &+= 1
        }
        return count
    }

    /// Appends `bytes[start..<end]` as a JSON string, quotes included, escaped as `JSONWriter` does.
    static func appendQuoted(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var runStart = start
        var index = start
        while index < end {
            let byte = bytes[index]
            if byte >= 0x20, byte != UInt8(ascii: "\""), byte != UInt8(ascii: "\\"), byte != 0x7F {
                index &+= 1
                continue
            }
            if runStart < index { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index])) }
            appendEscape(byte, to: &out)
            index &+= 1
            runStart = index
        }
        if runStart < end { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<end])) }
        out.append(UInt8(ascii: "\""))
    }

    static func appendEscape(_ byte: UInt8, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\\"))
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"): out.append(byte)
        case 0x0A: out.append(UInt8(ascii: "n"))
        case 0x0D: out.append(UInt8(ascii: "r"))
        case 0x09: out.append(UInt8(ascii: "t"))
        case 0x08: out.append(UInt8(ascii: "b"))
        case 0x0C: out.append(UInt8(ascii: "f"))
        default:
            out.append(contentsOf: [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0")])
            out.append(JSONWriter.hexDigits[Int(byte >> 4)])
            out.append(JSONWriter.hexDigits[Int(byte & 0x0F)])
        }
    }

    /// True when the two ranges hold the same bytes.
    @inline(__always)
    static func equal(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, _ other: [UInt8]) -> Bool {
        guard end &- start == other.count else { return false }
        var offset = 0
        while offset < other.count {
            if bytes[start &+ offset] != other[offset] { return false }
            offset &+= 1
        }
        return true
    }
}
