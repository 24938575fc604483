/// Strings and numbers, checked exactly as `JSONByteReader` checks them.
extension JSONByteScanner {
    /// At the opening quote: scans to after the closing quote. Returns whether the string has
    /// escapes, or nil when it is not valid (control character, bad escape, lone surrogate, bad UTF-8).
    mutating func string() -> Bool? {
        index &+= 1
        var escaped = false
        let count = bytes.count
        while index < count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                index &+= 1
                return escaped
            }
            if byte == UInt8(ascii: "\\") {
                escaped = true
                guard escape() else { return nil }
            } else if byte < 0x20 {
                return nil
            } else if byte < 0x80 {
                index &+= 1
            } else {
                let length = utf8Length(at: index)
                guard length > 0 else { return nil }
                index &+= length
            }
        }
        return nil
    }

    /// At a backslash: one escape; a high surrogate must be followed by an escaped low surrogate.
    mutating func escape() -> Bool {
        guard index &+ 1 < bytes.count else { return false }
        let byte = bytes[index &+ 1]
        index &+= 2
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
            UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
            return true
        case UInt8(ascii: "u"):
            guard let unit = hex4() else { return false }
            if unit >= 0xD800, unit <= 0xDBFF {
                guard index &+ 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index &+ 1] == UInt8(ascii: "u") else { return false }
                index &+= 2
                guard let low = hex4(), low >= 0xDC00, low <= 0xDFFF else { return false }
                return true
            }
            return !(unit >= 0xDC00 && unit <= 0xDFFF)
        default:
            return false
        }
    }

    mutating func hex4() -> UInt16? {
        guard index &+ 4 <= bytes.count else { return nil }
        var value: UInt16 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte &- UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte &- UInt8(ascii: "a") &+ 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte &- UInt8(ascii: "A") &+ 10
            default: return nil
            }
            value = value << 4 | UInt16(digit)
            index &+= 1
        }
        return value
    }

    /// The length of the valid UTF-8 sequence at `start` (RFC 3629), or 0 when it is not valid.
    func utf8Length(at start: Int) -> Int {
        let count = bytes.count
        @inline(__always) func continuation(_ offset: Int, _ low: UInt8 = 0x80, _ high: UInt8 = 0xBF) -> Bool {
            start &+ offset < count && bytes[start &+ offset] >= low && bytes[start &+ offset] <= high
        }
        switch bytes[start] {
        case 0x00...0x7F: return 1
        case 0xC2...0xDF: return continuation(1) ? 2 : 0
        case 0xE0: return continuation(1, 0xA0) && continuation(2) ? 3 : 0
        case 0xE1...0xEC, 0xEE...0xEF: return continuation(1) && continuation(2) ? 3 : 0
        case 0xED: return continuation(1, 0x80, 0x9F) && continuation(2) ? 3 : 0
        case 0xF0: return continuation(1, 0x90) && continuation(2) && continuation(3) ? 4 : 0
        case 0xF1...0xF3: return continuation(1) && continuation(2) && continuation(3) ? 4 : 0
        case 0xF4: return continuation(1, 0x80, 0x8F) && continuation(2) && continuation(3) ? 4 : 0
        default: return 0
        }
    }

    @inline(__always)
    func isDigit(_ offset: Int) -> Bool {
        offset < bytes.count && bytes[offset] >= 0x30 && bytes[offset] <= 0x39
    }

    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`, not glued to a letter, point or sign.
    mutating func number() -> Bool {
        if bytes[index] == UInt8(ascii: "-") { index &+= 1 }
        guard index < bytes.count else { return false }
        if bytes[index] == UInt8(ascii: "0") {
            index &+= 1
            if isDigit(index) { return false }
        } else if isDigit(index) {
            while isDigit(index) { index &+= 1 }
        } else {
            return false
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index &+= 1
            guard isDigit(index) else { return false }
            while isDigit(index) { index &+= 1 }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index &+= 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index &+= 1 }
            guard isDigit(index) else { return false }
            while isDigit(index) { index &+= 1 }
        }
        if index < bytes.count {
            let byte = bytes[index]
            if (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || byte == UInt8(ascii: ".")
                || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-")
            {
                return false
            }
        }
        return true
    }
}
