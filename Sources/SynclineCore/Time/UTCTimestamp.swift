/// Fast RFC 3339 UTC formatting of epoch milliseconds (`2026-11-24T17:04:05.123Z`), hand-written
/// because it runs for every produced record (Foundation's formatters cost microseconds each).
public enum UTCTimestamp {
    public static func format(ms: Int64) -> String {
        let seconds = ms >= 0 ? ms / 1000 : (ms - 999) / 1000
        let millis = Int(ms - seconds * 1000)
        var days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = Int(seconds - days * 86_400)
        // Civil-from-days (Howard Hinnant).
        days += 719_468
        let era = (days >= 0 ? days : days - 146_096) / 146_097
        let dayOfEra = days - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        var year = yearOfEra + era * 400
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = Int(dayOfYear - (153 * mp + 2) / 5 + 1)
        let month = Int(mp < 10 ? mp + 3 : mp - 9)
        if month <= 2 { year += 1 }
        var out = [UInt8]()
        out.reserveCapacity(24)
        append(&out, Int(year), width: 4)
        out.append(UInt8(ascii: "-"))
        append(&out, month, width: 2)
        out.append(UInt8(ascii: "-"))
        append(&out, day, width: 2)
        out.append(UInt8(ascii: "T"))
        append(&out, secondOfDay / 3600, width: 2)
        out.append(UInt8(ascii: ":"))
        append(&out, secondOfDay / 60 % 60, width: 2)
        out.append(UInt8(ascii: ":"))
        append(&out, secondOfDay % 60, width: 2)
        out.append(UInt8(ascii: "."))
        append(&out, millis, width: 3)
        out.append(UInt8(ascii: "Z"))
        return String(decoding: out, as: UTF8.self)
    }

    private static func append(_ out: inout [UInt8], _ value: Int, width: Int) {
        var digits = [UInt8](repeating: UInt8(ascii: "0"), count: width)
        var rest = abs(value)
        var index = width - 1
        while index >= 0 {
            digits[index] = UInt8(ascii: "0") + UInt8(rest % 10)
            rest /= 10
            index -= 1
        }
        if value < 0 { out.append(UInt8(ascii: "-")) }
        out.append(contentsOf: digits)
    }
}
