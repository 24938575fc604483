/// Decodes `application/x-www-form-urlencoded` (`a=1&b=x+y%21`) to an object of strings; a key
/// repeated becomes an array of its values. Bad percent-encoding or non-UTF-8 text is an error.
public enum FormDecoder {
    public static func decode(_ bytes: [UInt8]) throws(DecodeFailure) -> JSONValue {
        var members: [String: JSONValue] = [:]
        var start = 0
        while start <= bytes.count {
            var end = start
            while end < bytes.count, bytes[end] != UInt8(ascii: "&") { end += 1 }
            if end > start {
                var split = start
                while split < end, bytes[split] != UInt8(ascii: "=") { split += 1 }
                let key = try unescape(bytes, start, split)
                let value = split < end ? try unescape(bytes, split + 1, end) : ""
                guard !key.isEmpty else { throw DecodeFailure(.invalidForm, "empty field name at byte \(start)") }
                switch members[key] {
                case nil: members[key] = .string(value)
                case .array(var items)?:
                    items.append(.string(value))
                    members[key] = .array(items)
                case let existing?: members[key] = .array([existing, .string(value)])
                }
            }
            start = end + 1
        }
        return .object(members)
    }

    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    static func unescape(_ bytes: [UInt8], _ start: Int, _ end: Int) throws(DecodeFailure) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(end - start)
        var index = start
        while index < end {
            let byte = bytes[index]
            if byte == UInt8(ascii: "+") {
                out.append(0x20)
                index += 1
            } else if byte == UInt8(ascii: "%") {
                guard index + 2 < end,
                    let high = hexValue(bytes[index + 1]), let low = hexValue(bytes[index + 2])
                else {
                    throw DecodeFailure(.invalidForm, "invalid percent-encoding at byte \(index) (expected %XX)")
                }
                out.append(high << 4 | low)
                index += 3
            } else {
                out.append(byte)
                index += 1
            }
        }
        guard let text = String(validating: out, as: UTF8.self) else {
            throw DecodeFailure(.invalidUTF8, "form field at bytes \(start)…\(end) is not valid UTF-8 after percent-decoding")
        }
        return text
    }
}
