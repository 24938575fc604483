/// A strict RFC 8259 JSON parser over raw bytes, written for the per-record hot path: it validates
/// UTF-8 itself, keeps numbers as their literal text, refuses duplicate keys and bounds nesting.
public enum JSONParser {
    /// The default nesting limit (objects and arrays) — deep enough for any real payload.
    public static let defaultMaxDepth = 64

    public static func parse(_ bytes: [UInt8], maxDepth: Int = defaultMaxDepth) throws(JSONParseError) -> JSONValue {
        try bytes.withUnsafeBufferPointer { (buffer) throws(JSONParseError) -> JSONValue in
            try parse(buffer, maxDepth: maxDepth)
        }
    }

    public static func parse(_ buffer: UnsafeRawBufferPointer, maxDepth: Int = defaultMaxDepth) throws(JSONParseError) -> JSONValue {
        try parse(buffer.assumingMemoryBound(to: UInt8.self), maxDepth: maxDepth)
    }

    public static func parse(_ buffer: UnsafeBufferPointer<UInt8>, maxDepth: Int = defaultMaxDepth) throws(JSONParseError) -> JSONValue {
        var reader = JSONByteReader(buffer: buffer, maxDepth: maxDepth)
        return try reader.parseDocument()
    }

    /// Parses UTF-8 text (convenience for tests and configuration).
    public static func parse(_ text: String, maxDepth: Int = defaultMaxDepth) throws(JSONParseError) -> JSONValue {
        try parse(Array(text.utf8), maxDepth: maxDepth)
    }
}

/// The cursor behind `JSONParser`: recursive descent over a byte buffer.
struct JSONByteReader {
    let buffer: UnsafeBufferPointer<UInt8>
    let maxDepth: Int
    var index = 0
    var depth = 0
    var scratch: [UInt8] = []

    init(buffer: UnsafeBufferPointer<UInt8>, maxDepth: Int) {
        self.buffer = buffer
        self.maxDepth = maxDepth
    }

    // MARK: bytes
    static let quote = UInt8(ascii: "\"")
    static let backslash = UInt8(ascii: "\\")

    mutating func skipWhitespace() {
        while index < buffer.count {
            switch buffer[index] {
            case 0x20, 0x0A, 0x0D, 0x09: index += 1
            default: return
            }
        }
    }

    func describe(_ byte: UInt8) -> String {
        if byte >= 0x21 && byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
        let hex = String(byte, radix: 16, uppercase: true)
        return "byte 0x\(hex.count < 2 ? "0" + hex : hex)"
    }

    /// An "unexpected" error for the byte at `index`, telling invalid UTF-8 apart from a stray character.
    func unexpected(expected: String) -> JSONParseError {
        guard index < buffer.count else { return JSONParseError(.truncated, at: buffer.count) }
        let byte = buffer[index]
        if byte >= 0x80, utf8SequenceLength(at: index) == nil {
            return JSONParseError(.invalidUTF8, at: index)
        }
        if byte >= 0x80 {
            let length = utf8SequenceLength(at: index) ?? 1
            let text = String(decoding: UnsafeBufferPointer(rebasing: buffer[index..<index + length]), as: UTF8.self)
            return JSONParseError(.unexpectedCharacter(found: "'\(text)'", expected: expected), at: index)
        }
        return JSONParseError(.unexpectedCharacter(found: describe(byte), expected: expected), at: index)
    }

    /// The length of the valid UTF-8 sequence starting at `start`, or nil when it is not valid
    /// (RFC 3629: no overlongs, no surrogates, nothing above U+10FFFF).
    func utf8SequenceLength(at start: Int) -> Int? {
        let lead = buffer[start]
        let count = buffer.count
        func continuation(_ offset: Int, _ range: ClosedRange<UInt8> = 0x80...0xBF) -> Bool {
            start + offset < count && range.contains(buffer[start + offset])
        }
        switch lead {
        case 0x00...0x7F: return 1
        case 0xC2...0xDF: return continuation(1) ? 2 : nil
        case 0xE0: return continuation(1, 0xA0...0xBF) && continuation(2) ? 3 : nil
        case 0xE1...0xEC, 0xEE...0xEF: return continuation(1) && continuation(2) ? 3 : nil
        case 0xED: return continuation(1, 0x80...0x9F) && continuation(2) ? 3 : nil
        case 0xF0: return continuation(1, 0x90...0xBF) && continuation(2) && continuation(3) ? 4 : nil
        case 0xF1...0xF3: return continuation(1) && continuation(2) && continuation(3) ? 4 : nil
        case 0xF4: return continuation(1, 0x80...0x8F) && continuation(2) && continuation(3) ? 4 : nil
        default: return nil
        }
    }

    // MARK: values

    mutating func parseDocument() throws(JSONParseError) -> JSONValue {
        skipWhitespace()
        guard index < buffer.count else { throw JSONParseError(.emptyInput, at: 0) }
        let value = try parseValue()
        skipWhitespace()
        if index < buffer.count {
            if buffer[index] >= 0x80, utf8SequenceLength(at: index) == nil {
                throw JSONParseError(.invalidUTF8, at: index)
            }
            throw JSONParseError(.trailingData, at: index)
        }
        return value
    }

    mutating func parseValue() throws(JSONParseError) -> JSONValue {
        guard index < buffer.count else { throw JSONParseError(.truncated, at: buffer.count) }
        switch buffer[index] {
        case Self.quote: return .string(try parseString())
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try parseNumber())
        default: throw unexpected(expected: "a value (object, array, string, number, true, false or null)")
        }
    }

    mutating func literal(_ word: StaticString) throws(JSONParseError) {
        let start = index
        let utf8 = UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount)
        for expected in utf8 {
            guard index < buffer.count else { throw JSONParseError(.truncated, at: buffer.count) }
            guard buffer[index] == expected else {
                throw unexpected(expected: "'\(word)' (literal starting at byte \(start))")
            }
            index += 1
        }
    }

    mutating func enter() throws(JSONParseError) {
        depth += 1
        if depth > maxDepth { throw JSONParseError(.tooDeep(limit: maxDepth), at: index) }
    }

    mutating func parseObject() throws(JSONParseError) -> JSONValue {
        try enter()
        index += 1  // {
        var members = [String: JSONValue](minimumCapacity: 8)
        skipWhitespace()
        guard index < buffer.count else { throw JSONParseError(.truncated, at: buffer.count) }
        if buffer[index] == UInt8(ascii: "}") {
            index += 1
            depth -= 1
            return .object(members)
        }
        while true {
            skipWhitespace()
            guard index < buffer.count else { throw JSONParseError(.truncated, at: buffer.count) }
            guard buffer[index] == Self.quote else { throw unexpected(expected: "'\"' starting an object key") }
            let keyOffset = index
            let key = try parseString()
            skipWhitespace()
            guard index < buffer.count else { throw JSONParseError(.truncated, at: buffer.count) }
            guard buffer[index] == UInt8(ascii: ":") else { throw unexpected(expected: "':' after an object key") }
            index += 1
            skipWhitespace()
            let value = try parseValue()
            if members.updateValue(value, forKey: key) != nil {
                throw JSONParseError(.duplicateKey(key), at: keyOffset)
            }
            skipWhitespace()
            guard index < buffer.count else { throw JSONParseError(.truncated, at: buffer.count) }
            switch buffer[index] {
            case UInt8(ascii: ","):
                index += 1
            case UInt8(ascii: "}"):
                index += 1
                depth -= 1
                return .object(members)
            default:
                throw unexpected(expected: "',' or '}' in an object")
            }
        }
    }

    mutating func parseArray() throws(JSONParseError) -> JSONValue {
        try enter()
        index += 1  // [
        var items: [JSONValue] = []
        skipWhitespace()
        guard index < buffer.count else { throw JSONParseError(.truncated, at: buffer.count) }
        if buffer[index] == UInt8(ascii: "]") {
            index += 1
            depth -= 1
            return .array(items)
        }
        while true {
            skipWhitespace()
            items.append(try parseValue())
            skipWhitespace()
            guard index < buffer.count else { throw JSONParseError(.truncated, at: buffer.count) }
            switch buffer[index] {
            case UInt8(ascii: ","):
                index += 1
            case UInt8(ascii: "]"):
                index += 1
                depth -= 1
                return .array(items)
            default:
                throw unexpected(expected: "',' or ']' in an array")
            }
        }
    }

    // MARK: numbers

    mutating func parseNumber() throws(JSONParseError) -> String {
        let start = index
        func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }
        func invalid(_ reader: JSONByteReader) -> JSONParseError {
            var end = reader.index
            while end < reader.buffer.count {
                let byte = reader.buffer[end]
                guard isDigit(byte) || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E")
                    || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-") || (byte >= 0x41 && byte <= 0x7A)
                else { break }
                end += 1
            }
            if end == reader.buffer.count, end == reader.index { return JSONParseError(.truncated, at: end) }
            let text = String(decoding: UnsafeBufferPointer(rebasing: reader.buffer[start..<max(end, reader.index + 1)]), as: UTF8.self)
            return JSONParseError(.invalidNumber(text), at: start)
        }
        if buffer[index] == UInt8(ascii: "-") { index += 1 }
        guard index < buffer.count else { throw JSONParseError(.truncated, at: buffer.count) }
        if buffer[index] == UInt8(ascii: "0") {
            index += 1
            if index < buffer.count, isDigit(buffer[index]) { throw invalid(self) }
        } else if isDigit(buffer[index]) {
            while index < buffer.count, isDigit(buffer[index]) { index += 1 }
        } else {
            throw invalid(self)
        }
        if index < buffer.count, buffer[index] == UInt8(ascii: ".") {
            index += 1
            guard index < buffer.count else { throw JSONParseError(.truncated, at: buffer.count) }
            guard isDigit(buffer[index]) else { throw invalid(self) }
            while index < buffer.count, isDigit(buffer[index]) { index += 1 }
        }
        if index < buffer.count, buffer[index] == UInt8(ascii: "e") || buffer[index] == UInt8(ascii: "E") {
            index += 1
            if index < buffer.count, buffer[index] == UInt8(ascii: "+") || buffer[index] == UInt8(ascii: "-") { index += 1 }
            guard index < buffer.count else { throw JSONParseError(.truncated, at: buffer.count) }
            guard isDigit(buffer[index]) else { throw invalid(self) }
            while index < buffer.count, isDigit(buffer[index]) { index += 1 }
        }
        if index < buffer.count {
            let byte = buffer[index]
            // A number glued to letters or another sign/point ("12abc", "1.2.3") is one bad token.
            if (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || byte == UInt8(ascii: ".")
                || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-")
            {
                throw invalid(self)
            }
        }
        return String(decoding: UnsafeBufferPointer(rebasing: buffer[start..<index]), as: UTF8.self)
    }

    // MARK: strings

    /// Parses a string starting at the opening quote; validates UTF-8 and escapes.
    mutating func parseString() throws(JSONParseError) -> String {
        index += 1  // opening quote
        let start = index
        // Fast path: no escapes.
        while index < buffer.count {
            let byte = buffer[index]
            if byte == Self.quote {
                let text = String(decoding: UnsafeBufferPointer(rebasing: buffer[start..<index]), as: UTF8.self)
                index += 1
                return text
            }
            if byte == Self.backslash { break }
            if byte < 0x20 { throw JSONParseError(.controlCharacterInString(byte), at: index) }
            if byte < 0x80 {
                index += 1
            } else {
                guard let length = utf8SequenceLength(at: index) else { throw JSONParseError(.invalidUTF8, at: index) }
                index += length
            }
        }
        guard index < buffer.count else { throw JSONParseError(.truncated, at: buffer.count) }
        // Slow path: copy what we have and decode escapes.
        scratch.removeAll(keepingCapacity: true)
        scratch.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[start..<index]))
        while index < buffer.count {
            let byte = buffer[index]
            if byte == Self.quote {
                index += 1
                return String(decoding: scratch, as: UTF8.self)
            }
            if byte < 0x20 { throw JSONParseError(.controlCharacterInString(byte), at: index) }
            if byte == Self.backslash {
                try parseEscape()
            } else if byte < 0x80 {
                scratch.append(byte)
                index += 1
            } else {
                guard let length = utf8SequenceLength(at: index) else { throw JSONParseError(.invalidUTF8, at: index) }
                scratch.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[index..<index + length]))
                index += length
            }
        }
        throw JSONParseError(.truncated, at: buffer.count)
    }

    mutating func parseEscape() throws(JSONParseError) {
        let escapeStart = index
        index += 1
        guard index < buffer.count else { throw JSONParseError(.truncated, at: buffer.count) }
        let byte = buffer[index]
        index += 1
        switch byte {
        case Self.quote: scratch.append(Self.quote)
        case Self.backslash: scratch.append(Self.backslash)
        case UInt8(ascii: "/"): scratch.append(UInt8(ascii: "/"))
        case UInt8(ascii: "b"): scratch.append(0x08)
        case UInt8(ascii: "f"): scratch.append(0x0C)
        case UInt8(ascii: "n"): scratch.append(0x0A)
        case UInt8(ascii: "r"): scratch.append(0x0D)
        case UInt8(ascii: "t"): scratch.append(0x09)
        case UInt8(ascii: "u"):
            let unit = try hex4(escapeStart: escapeStart)
            var scalarValue = UInt32(unit)
            if (0xD800...0xDBFF).contains(unit) {
                // A high surrogate must be followed by \uDC00-\uDFFF.
                guard index + 1 < buffer.count, buffer[index] == Self.backslash, buffer[index + 1] == UInt8(ascii: "u") else {
                    if index + 1 >= buffer.count { throw JSONParseError(.truncated, at: buffer.count) }
                    throw JSONParseError(.loneSurrogate, at: escapeStart)
                }
                let lowStart = index
                index += 2
                let low = try hex4(escapeStart: lowStart)
                guard (0xDC00...0xDFFF).contains(low) else { throw JSONParseError(.loneSurrogate, at: escapeStart) }
                scalarValue = 0x10000 + ((UInt32(unit) - 0xD800) << 10) + (UInt32(low) - 0xDC00)
            } else if (0xDC00...0xDFFF).contains(unit) {
                throw JSONParseError(.loneSurrogate, at: escapeStart)
            }
            appendUTF8(scalarValue)
        default:
            let shown = byte >= 0x21 && byte < 0x7F ? "\\\(Character(Unicode.Scalar(byte)))" : "\\ followed by \(describe(byte))"
            throw JSONParseError(.invalidEscape(shown), at: escapeStart)
        }
    }

    mutating func appendUTF8(_ value: UInt32) {
        switch value {
        case 0..<0x80:
            scratch.append(UInt8(value))
        case 0x80..<0x800:
            scratch.append(UInt8(0xC0 | (value >> 6)))
            scratch.append(UInt8(0x80 | (value & 0x3F)))
        case 0x800..<0x10000:
            scratch.append(UInt8(0xE0 | (value >> 12)))
            scratch.append(UInt8(0x80 | ((value >> 6) & 0x3F)))
            scratch.append(UInt8(0x80 | (value & 0x3F)))
        default:
            scratch.append(UInt8(0xF0 | (value >> 18)))
            scratch.append(UInt8(0x80 | ((value >> 12) & 0x3F)))
            scratch.append(UInt8(0x80 | ((value >> 6) & 0x3F)))
            scratch.append(UInt8(0x80 | (value & 0x3F)))
        }
    }

    mutating func hex4(escapeStart: Int) throws(JSONParseError) -> UInt16 {
        var value: UInt16 = 0
        for _ in 0..<4 {
            guard index < buffer.count else { throw JSONParseError(.truncated, at: buffer.count) }
            let byte = buffer[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default:
                let end = min(buffer.count, escapeStart + 6)
                let text = String(decoding: UnsafeBufferPointer(rebasing: buffer[escapeStart..<end]), as: UTF8.self)
                throw JSONParseError(.invalidEscape(text), at: escapeStart)
            }
            value = value << 4 | UInt16(digit)
            index += 1
        }
        return value
    }
}
