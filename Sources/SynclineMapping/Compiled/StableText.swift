/// Tells which UTF-8 texts compare the same byte-wise as Swift `String`s do. Swift compares strings
/// (and hashes dictionary keys) by canonical equivalence, so "é" and "e\u{301}" are one key. Text
/// made only of scalars that are NFC-stable starters never composes or decomposes, so for it byte
/// equality is string equality and byte order is string order. The compiled path matches keys and
/// enum values by bytes only when they are stable; anything else goes to the interpreter.
enum StableText {
    /// True when every scalar of the valid UTF-8 in `bytes[start..<end]` is in a stable range:
    /// ASCII, Latin-1 and Latin Extended-A letters, CJK symbols (U+3000–3029), CJK ideographs and
    /// fullwidth ASCII forms.
    static func isStable(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
        var index = start
        while index < end {
            let lead = bytes[index]
            if lead < 0x80 {
                index &+= 1
                continue
            }
            if lead < 0xE0 {
                guard index &+ 1 < end else { return false }
                let scalar = (UInt32(lead & 0x1F) << 6) | UInt32(bytes[index &+ 1] & 0x3F)
                guard scalar >= 0xA0, scalar <= 0x17F else { return false }
                index &+= 2
                continue
            }
            guard lead < 0xF0, index &+ 2 < end else { return false }
            let scalar = (UInt32(lead & 0x0F) << 12) | (UInt32(bytes[index &+ 1] & 0x3F) << 6) | UInt32(bytes[index &+ 2] & 0x3F)
            switch scalar {
            case 0x3000...0x3029, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xFF01...0xFF5E: index &+= 3
            default: return false
            }
        }
        return true
    }

    static func isStable(_ text: [UInt8]) -> Bool {
        text.withUnsafeBufferPointer { isStable($0, 0, $0.count) }
    }

    static func isStable(_ text: String) -> Bool { isStable(Array(text.utf8)) }

    /// True when the bytes are all ASCII.
    static func isASCII(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
        var index = start
        while index < end {
            if bytes[index] >= 0x80 { return false }
            index &+= 1
        }
        return true
    }
}
