public import Foundation

/// Parses upstream timestamps to milliseconds since the epoch and formats them as RFC 3339 UTC with
/// milliseconds. Accepts RFC 3339 / ISO-8601 with any offset, local date-times in a default zone,
/// and epoch numbers whose unit is told apart by magnitude (see `epochMilliseconds`).
public struct TimestampParser: Sendable {
    /// The zone for date-times written without an offset.
    public let defaultZone: Zone

    /// A fixed UTC offset, or an IANA zone (daylight saving applied per date).
    public enum Zone: Sendable, Equatable {
        case fixed(seconds: Int)
        case named(TimeZone)

        /// `UTC`, `Z`, `+08:00`, `-0500`, or an IANA name such as `Asia/Shanghai`; nil when unknown.
        public init?(_ text: String) {
            let trimmed = TextTrim.trim(text)
            if trimmed == "UTC" || trimmed == "Z" || trimmed == "GMT" {
                self = .fixed(seconds: 0)
                return
            }
            let bytes = Array(trimmed.utf8)
            if let first = bytes.first, first == UInt8(ascii: "+") || first == UInt8(ascii: "-") {
                var index = 0
                guard let offset = TimestampParser.parseOffset(bytes, &index), index == bytes.count else { return nil }
                self = .fixed(seconds: offset)
                return
            }
            guard let zone = TimeZone(identifier: trimmed) else { return nil }
            self = .named(zone)
        }

        /// Offset (seconds east of UTC) that applies to a wall-clock time in this zone.
        func offset(forLocalSeconds local: Int64) -> Int {
            switch self {
            case .fixed(let seconds):
                return seconds
            case .named(let zone):
                let first = zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(local)))
                let second = zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(local - Int64(first))))
                return second
            }
        }
    }

    public static let utc = TimestampParser(defaultZone: .fixed(seconds: 0))

    public init(defaultZone: Zone = .fixed(seconds: 0)) {
        self.defaultZone = defaultZone
    }

    /// Why a timestamp could not be read.
    public struct Failure: Error, Sendable, Equatable {
        public var reason: String
    }

    // MARK: epoch

    /// Epoch numbers: |n| < 10^11 → seconds (fraction allowed); < 10^14 → milliseconds;
    /// < 10^17 → microseconds; otherwise nanoseconds. Each band covers 1973-03-03 … 5138, so the unit of
    /// any realistic value is unambiguous (10^11 ms is March 1973; 10^11 s is the year 5138).
    public static func epochMilliseconds(_ literal: String) throws(Failure) -> Int64 {
        let fast = literal.utf8.withContiguousStorageIfAvailable { epochMilliseconds(bytes: $0, 0, $0.count) }
        if let fast, let fast { return fast }
        return try epochMillisecondsReference(literal)
    }

    /// The reference reading of an epoch literal (any `ExactDecimal`), and the explanation of a failure.
    static func epochMillisecondsReference(_ literal: String) throws(Failure) -> Int64 {
        let decimal: ExactDecimal
        do {
            decimal = try ExactDecimal.parse(literal)
        } catch {
            throw Failure(reason: "'\(literal)' is not an epoch number")
        }
        let integerPart = decimal.significand / ExactDecimal.powers[decimal.scale]
        let magnitude = integerPart.magnitude
        let milliseconds: Int64
        do {
            if magnitude < 100_000_000_000 {
                milliseconds = try decimal.multiplied(by: ExactDecimal(1000)).rounded(to: 0).significand
            } else if magnitude < 100_000_000_000_000 {
                guard decimal.isInteger else { throw Failure(reason: "epoch milliseconds '\(literal)' has a fraction") }
                milliseconds = integerPart
            } else if magnitude < 100_000_000_000_000_000 {
                milliseconds = integerPart / 1000
            } else {
                milliseconds = integerPart / 1_000_000
            }
        } catch let failure as Failure {
            throw failure
        } catch {
            throw Failure(reason: "epoch value '\(literal)' is out of range")
        }
        guard milliseconds >= minimumMs, milliseconds <= maximumMs else {
            throw Failure(reason: "epoch value '\(literal)' is outside years 0001…9999")
        }
        return milliseconds
    }

    static let minimumMs: Int64 = -62_135_596_800_000  // 0001-01-01T00:00:00Z
    static let maximumMs: Int64 = 253_402_300_799_999  // 9999-12-31T23:59:59.999Z

    // MARK: text

    /// Reads a timestamp given as text: RFC 3339 / ISO-8601 (`T` or space, `/` or `-` in the date,
    /// optional seconds and fraction, `Z` or `±HH:MM`/`±HHMM`/`±HH`), a date alone (midnight), or digits
    /// (epoch, as `epochMilliseconds`). Without an offset the default zone applies.
    public func milliseconds(_ text: String) throws(Failure) -> Int64 {
        let fast = text.utf8.withContiguousStorageIfAvailable { milliseconds(bytes: $0, 0, $0.count) }
        if let fast, let fast { return fast }
        return try millisecondsReference(text)
    }

    /// The reference reading of a timestamp's text, and the explanation of a failure.
    func millisecondsReference(_ text: String) throws(Failure) -> Int64 {
        let trimmed = TextTrim.trim(text)
        let bytes = Array(trimmed.utf8)
        guard !bytes.isEmpty else { throw Failure(reason: "empty timestamp") }
        if bytes.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-") }),
            bytes.count < 8 || bytes[4] != UInt8(ascii: "-")
        {
            return try Self.epochMillisecondsReference(trimmed)
        }
        return try parseDateTimeReference(bytes, original: trimmed, requireUTC: false)
    }

    /// Strict check of the canonical output form `YYYY-MM-DDTHH:MM:SS[.fff]Z`.
    public static func isCanonicalUTC(_ text: String) -> Bool {
        let fast = text.utf8.withContiguousStorageIfAvailable { bytes in
            bytes.count >= 20 && bytes[10] == UInt8(ascii: "T") && bytes[bytes.count - 1] == UInt8(ascii: "Z")
                && utc.parseDateTime(bytes: bytes, 0, bytes.count, requireUTC: true) != nil
        }
        if let fast { return fast }
        let bytes = Array(text.utf8)
        guard bytes.count >= 20, bytes[10] == UInt8(ascii: "T"), bytes.last == UInt8(ascii: "Z") else { return false }
        return (try? utc.parseDateTimeReference(bytes, original: text, requireUTC: true)) != nil
    }

    /// The reference grammar (the byte-level `parseDateTime(bytes:…)` is held to it), with the
    /// reason for a failure.
    func parseDateTimeReference(_ bytes: [UInt8], original: String, requireUTC: Bool) throws(Failure) -> Int64 {
        var index = 0
        func fail(_ why: String) -> Failure { Failure(reason: "'\(original)' is not a timestamp: \(why)") }
        func number(_ count: Int) -> Int? {
            guard index + count <= bytes.count else { return nil }
            var value = 0
            for offset in 0..<count {
                let byte = bytes[index + offset]
                guard byte >= 0x30, byte <= 0x39 else { return nil }
                value = value * 10 + Int(byte - 0x30)
            }
            index += count
            return value
        }
        func expect(_ allowed: [UInt8]) -> Bool {
            guard index < bytes.count, allowed.contains(bytes[index]) else { return false }
            index += 1
            return true
        }
        guard let year = number(4) else { throw fail("expected a 4-digit year") }
        guard index < bytes.count, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "/") else {
            throw fail("expected '-' after the year")
        }
        let dateSeparator = bytes[index]
        index += 1
        guard let month = number(2) else { throw fail("expected a 2-digit month") }
        guard expect([dateSeparator]) else { throw fail("expected '\(Character(Unicode.Scalar(dateSeparator)))' after the month") }
        guard let day = number(2) else { throw fail("expected a 2-digit day") }
        guard (1...12).contains(month) else { throw fail("month \(month) is not 1…12") }
        guard day >= 1, day <= Self.daysInMonth(year: year, month: month) else { throw fail("day \(day) does not exist in \(year)-\(month)") }
        var hour = 0, minute = 0, second = 0, millisecond = 0
        var offsetSeconds: Int?
        if index < bytes.count {
            guard expect([UInt8(ascii: "T"), UInt8(ascii: "t"), UInt8(ascii: " ")]) else { throw fail("expected 'T' or a space after the date") }
            guard let h = number(2) else { throw fail("expected a 2-digit hour") }
            guard expect([UInt8(ascii: ":")]), let m = number(2) else { throw fail("expected ':MM' after the hour") }
            hour = h
            minute = m
            if expect([UInt8(ascii: ":")]) {
                guard let s = number(2) else { throw fail("expected 2-digit seconds") }
                second = s
                if expect([UInt8(ascii: "."), UInt8(ascii: ",")]) {
                    var digits = 0
                    var fraction = 0
                    while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 {
                        if digits < 3 { fraction = fraction * 10 + Int(bytes[index] - 0x30) }
                        digits += 1
                        index += 1
                    }
                    guard digits > 0 else { throw fail("expected digits after the decimal point") }
                    if digits < 3 { for _ in digits..<3 { fraction *= 10 } }
                    millisecond = fraction
                }
            }
            guard hour <= 23, minute <= 59, second <= 60 else { throw fail("time \(hour):\(minute):\(second) is out of range") }
            while index < bytes.count, bytes[index] == UInt8(ascii: " ") { index += 1 }
            if index < bytes.count {
                if bytes[index] == UInt8(ascii: "Z") || bytes[index] == UInt8(ascii: "z") {
                    index += 1
                    offsetSeconds = 0
                } else if let offset = Self.parseOffset(bytes, &index) {
                    offsetSeconds = offset
                } else {
                    throw fail("expected 'Z' or an offset like +08:00")
                }
            }
        }
        guard index == bytes.count else { throw fail("unexpected text after the time") }
        if requireUTC, offsetSeconds != 0 { throw fail("not UTC") }
        let days = Self.daysFromCivil(year: year, month: month, day: day)
        let local = days * 86_400 + Int64(hour * 3600 + minute * 60 + second)
        let offset = offsetSeconds ?? defaultZone.offset(forLocalSeconds: local)
        let milliseconds = (local - Int64(offset)) * 1000 + Int64(millisecond)
        guard milliseconds >= Self.minimumMs, milliseconds <= Self.maximumMs else { throw fail("outside years 0001…9999") }
        return milliseconds
    }

    /// `+08:00`, `-0500`, `+08`; advances `index`; nil when malformed or out of range.
    static func parseOffset(_ bytes: [UInt8], _ index: inout Int) -> Int? {
        guard index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") else { return nil }
        let negative = bytes[index] == UInt8(ascii: "-")
        var cursor = index + 1
        func twoDigits() -> Int? {
            guard cursor + 2 <= bytes.count else { return nil }
            let a = bytes[cursor], b = bytes[cursor + 1]
            guard a >= 0x30, a <= 0x39, b >= 0x30, b <= 0x39 else { return nil }
            cursor += 2
            return Int(a - 0x30) * 10 + Int(b - 0x30)
        }
        guard let hours = twoDigits(), hours <= 23 else { return nil }
        var minutes = 0
        if cursor < bytes.count, bytes[cursor] == UInt8(ascii: ":") {
            cursor += 1
            guard let value = twoDigits() else { return nil }
            minutes = value
        } else if cursor < bytes.count, let value = twoDigits() {
            minutes = value
        }
        guard minutes <= 59 else { return nil }
        index = cursor
        let seconds = hours * 3600 + minutes * 60
        return negative ? -seconds : seconds
    }

    static func isLeap(_ year: Int) -> Bool { (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 }

    static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 (Howard Hinnant's algorithm).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let m = Int64(month)
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + Int64(day) - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// `2024-05-01T04:00:00.000Z`
    public static func format(milliseconds: Int64) -> String {
        UTCTimestamp.format(ms: milliseconds)
    }
}
