/// Fast RFC 3339 UTC formatting of epoch milliseconds (`2026-11-24T17:04:05.123Z`), hand-written
/// because it runs for every produced record (Foundation's formatters cost microseconds each).
/// The one formatter of the code base: `TimestampParser.format` and header stamping use it.
public enum UTCTimestamp {
    /// The 24 ASCII bytes, in one allocation (header values are bytes).
    public static func bytes(ms: Int64) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: 24) { buffer, count in
            fill(ms: ms, buffer)
            count = 24
        }
    }

    /// Calls `body` with the 24 ASCII bytes in a stack buffer (no allocation).
    @inline(__always)
    public static func withBytes<T>(ms: Int64, _ body: (UnsafeBufferPointer<UInt8>) -> T) -> T {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 24) { buffer in
            fill(ms: ms, buffer)
            return body(UnsafeBufferPointer(buffer))
        }
    }

    /// Writes the 24 ASCII bytes into `buffer` (at least 24 long).
    static func fill(ms: Int64, _ buffer: UnsafeMutableBufferPointer<UInt8>) {
        var days = ms / 86_400_000
        var remainder = ms % 86_400_000
        if remainder < 0 {
            remainder += 86_400_000
            days -= 1
        }
        // Civil-from-days (Howard Hinnant).
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = Int(dayOfYear - (153 * mp + 2) / 5 + 1)
        let month = Int(mp < 10 ? mp + 3 : mp - 9)
        let year = Int(yearOfEra + era * 400) + (month <= 2 ? 1 : 0)
        let fields = (
            year: min(max(year, 0), 9999), month: month, day: day, hour: Int(remainder / 3_600_000),
            minute: Int(remainder / 60_000 % 60), second: Int(remainder / 1000 % 60), milli: Int(remainder % 1000)
        )
        func put(_ value: Int, at index: Int, width: Int) {
            var rest = value
            var position = index + width - 1
            while position >= index {
                buffer[position] = UInt8(truncatingIfNeeded: 0x30 + rest % 10)
                rest /= 10
                position -= 1
            }
        }
        put(fields.year, at: 0, width: 4)
        buffer[4] = UInt8(ascii: "-")
        put(fields.month, at: 5, width: 2)
        buffer[7] = UInt8(ascii: "-")
        put(fields.day, at: 8, width: 2)
        buffer[10] = UInt8(ascii: "T")
        put(fields.hour, at: 11, width: 2)
        buffer[13] = UInt8(ascii: ":")
        put(fields.minute, at: 14, width: 2)
        buffer[16] = UInt8(ascii: ":")
        put(fields.second, at: 17, width: 2)
        buffer[19] = UInt8(ascii: ".")
        put(fields.milli, at: 20, width: 3)
        buffer[23] = UInt8(ascii: "Z")
    }

    public static func format(ms: Int64) -> String {
        String(decoding: bytes(ms: ms), as: UTF8.self)
    }
}
