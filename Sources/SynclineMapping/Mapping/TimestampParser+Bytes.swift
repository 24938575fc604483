/// The allocation-free timestamp reading of the record path: the same grammar as the `String`
/// entry points, over a byte range, answering nil instead of explaining. The `String` entry points
/// try these first and fall back to the reference parser (`parseDateTimeReference`,
/// `epochMillisecondsReference`) only to explain a failure or for forms these decline, so a value
/// both accept is the same value; `TimestampParserBytesTests` holds them to it.
extension TimestampParser {
    /// `milliseconds(_:)` over `bytes[start..<end]`; nil when it fails (or is an epoch form other
    /// than plain digits: the caller asks the reference then).
    func milliseconds(bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Int64? {
        let (low, high) = ByteText.trim(bytes, start, end)
        guard low < high else { return nil }
        var epochLike = true
        var index = low
        while index < high {
            let byte = bytes[index]
            if !((byte >= 0x30 && byte <= 0x39) || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "-")) {
                epochLike = false
                break
            }
            index &+= 1
        }
        if epochLike, high &- low < 8 || bytes[low &+ 4] != UInt8(ascii: "-") {
            return Self.epochMilliseconds(bytes: bytes, low, high)
        }
        return parseDateTime(bytes: bytes, low, high, requireUTC: false)
    }

    /// `epochMilliseconds(_:)` for plain digits (no sign, point, exponent or leading zero, at most
    /// 18 digits); nil for anything else, including the forms only the reference reads.
    static func epochMilliseconds(bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Int64? {
        let count = end &- start
        guard count > 0, count <= 18, count == 1 || bytes[start] != UInt8(ascii: "0") else { return nil }
        var value: Int64 = 0
        var index = start
        while index < end {
            let byte = bytes[index]
            guard byte >= 0x30, byte <= 0x39 else { return nil }
            value = value &* 10 &+ Int64(byte &- 0x30)
            index &+= 1
        }
        let milliseconds: Int64
        if value < 100_000_000_000 {
            milliseconds = value &* 1000
        } else if value < 100_000_000_000_000 {
            milliseconds = value
        } else if value < 100_000_000_000_000_000 {
            milliseconds = value / 1000
        } else {
            milliseconds = value / 1_000_000
        }
        guard milliseconds >= minimumMs, milliseconds <= maximumMs else { return nil }
        return milliseconds
    }

    /// `parseDateTime` over `bytes[start..<end]` (already trimmed), with no allocation; nil when
    /// the text is not a timestamp.
    func parseDateTime(bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, requireUTC: Bool) -> Int64? {
        var index = start
        @inline(__always) func digits(_ count: Int, _ index: inout Int) -> Int? {
            guard index &+ count <= end else { return nil }
            var value = 0
            for offset in 0..<count {
                let byte = bytes[index &+ offset]
                guard byte >= 0x30, byte <= 0x39 else { return nil }
                value = value &* 10 &+ Int(byte &- 0x30)
            }
            index &+= count
            return value
        }
        guard let year = digits(4, &index), index < end else { return nil }
        let separator = bytes[index]
        guard separator == UInt8(ascii: "-") || separator == UInt8(ascii: "/") else { return nil }
        index &+= 1
        guard let month = digits(2, &index), index < end, bytes[index] == separator else { return nil }
        index &+= 1
        guard let day = digits(2, &index), (1...12).contains(month), day >= 1, day <= Self.daysInMonth(year: year, month: month) else {
            return nil
        }
        var hour = 0, minute = 0, second = 0, millisecond = 0
        var offsetSeconds: Int?
        if index < end {
            let t = bytes[index]
            guard t == UInt8(ascii: "T") || t == UInt8(ascii: "t") || t == UInt8(ascii: " ") else { return nil }
            index &+= 1
            guard let h = digits(2, &index), index < end, bytes[index] == UInt8(ascii: ":") else { return nil }
            index &+= 1
            guard let m = digits(2, &index) else { return nil }
            hour = h
            minute = m
            if index < end, bytes[index] == UInt8(ascii: ":") {
                index &+= 1
                guard let s = digits(2, &index) else { return nil }
                second = s
                if index < end, bytes[index] == UInt8(ascii: ".") || bytes[index] == UInt8(ascii: ",") {
                    index &+= 1
                    var count = 0
                    var fraction = 0
                    while index < end, bytes[index] >= 0x30, bytes[index] <= 0x39 {
                        if count < 3 { fraction = fraction &* 10 &+ Int(bytes[index] &- 0x30) }
                        count &+= 1
                        index &+= 1
                    }
                    guard count > 0 else { return nil }
                    var scaled = count
                    while scaled < 3 {
                        fraction &*= 10
                        scaled &+= 1
                    }
                    millisecond = fraction
                }
            }
            guard hour <= 23, minute <= 59, second <= 60 else { return nil }
            while index < end, bytes[index] == UInt8(ascii: " ") { index &+= 1 }
            if index < end {
                if bytes[index] == UInt8(ascii: "Z") || bytes[index] == UInt8(ascii: "z") {
                    index &+= 1
                    offsetSeconds = 0
                } else if let offset = Self.parseOffset(bytes: bytes, &index, end) {
                    offsetSeconds = offset
                } else {
                    return nil
                }
            }
        }
        guard index == end else { return nil }
        if requireUTC, offsetSeconds != 0 { return nil }
        let days = Self.daysFromCivil(year: year, month: month, day: day)
        let local = days &* 86_400 &+ Int64(hour &* 3600 &+ minute &* 60 &+ second)
        let offset = offsetSeconds ?? defaultZone.offset(forLocalSeconds: local)
        let milliseconds = (local &- Int64(offset)) &* 1000 &+ Int64(millisecond)
        guard milliseconds >= Self.minimumMs, milliseconds <= Self.maximumMs else { return nil }
        return milliseconds
    }

    /// `parseOffset` over a byte range ending at `end`.
    static func parseOffset(bytes: UnsafeBufferPointer<UInt8>, _ index: inout Int, _ end: Int) -> Int? {
        guard index < end, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") else { return nil }
        let negative = bytes[index] == UInt8(ascii: "-")
        var cursor = index &+ 1
        @inline(__always) func twoDigits(_ cursor: inout Int) -> Int? {
            guard cursor &+ 2 <= end else { return nil }
            let a = bytes[cursor], b = bytes[cursor &+ 1]
            guard a >= 0x30, a <= 0x39, b >= 0x30, b <= 0x39 else { return nil }
            cursor &+= 2
            return Int(a &- 0x30) &* 10 &+ Int(b &- 0x30)
        }
        guard let hours = twoDigits(&cursor), hours <= 23 else { return nil }
        var minutes = 0
        if cursor < end, bytes[cursor] == UInt8(ascii: ":") {
            cursor &+= 1
            guard let value = twoDigits(&cursor) else { return nil }
            minutes = value
        } else if cursor < end, let value = twoDigits(&cursor) {
            minutes = value
        }
        guard minutes <= 59 else { return nil }
        index = cursor
        let seconds = hours &* 3600 &+ minutes &* 60
        return negative ? -seconds : seconds
    }
}
