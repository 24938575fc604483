/// The time formats upstream systems really write, from epoch milliseconds, without a shared
/// formatter (pure arithmetic, so it is safe from any thread).
public enum DemoTime {
    /// Fields of a civil date-time.
    struct Civil {
        var year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int, weekday: Int
    }

    static func civil(_ ms: Int64, offsetSeconds: Int) -> Civil {
        let seconds = Int(ms.quotient(1000)) + offsetSeconds
        let days = seconds.quotient(86_400)
        let inDay = seconds - days * 86_400
        // Howard Hinnant's days → civil algorithm.
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        let weekday = (days + 4).modulo(7)  // 1970-01-01 was a Thursday (0 = Sunday)
        return Civil(
            year: year, month: month, day: day, hour: inDay / 3600, minute: (inDay / 60) % 60, second: inDay % 60, weekday: weekday)
    }

    static func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }

    static func date(_ c: Civil) -> String { "\(c.year)-\(two(c.month))-\(two(c.day))" }
    static func clock(_ c: Civil) -> String { "\(two(c.hour)):\(two(c.minute)):\(two(c.second))" }

    /// `2024-05-01T02:16:00Z`
    public static func utc(_ ms: Int64) -> String {
        let c = civil(ms, offsetSeconds: 0)
        return "\(date(c))T\(clock(c))Z"
    }

    /// `2024-05-01T10:16:00+08:00` (China Standard Time, as the marketing platform writes it).
    public static func china(_ ms: Int64) -> String {
        let c = civil(ms, offsetSeconds: 8 * 3600)
        return "\(date(c))T\(clock(c))+08:00"
    }

    /// `2024-05-01 10:16:00`: a local date-time without zone in +08:00, as the ERP and the bank write it.
    public static func chinaLocal(_ ms: Int64) -> String {
        let c = civil(ms, offsetSeconds: 8 * 3600)
        return "\(date(c)) \(clock(c))"
    }

    /// `2024-05-01`, the local value date.
    public static func chinaDate(_ ms: Int64) -> String {
        date(civil(ms, offsetSeconds: 8 * 3600))
    }

    /// `Wed, 01 May 2024 02:00:00 +0000`: RFC 2822, as Twilio writes `Timestamp`.
    public static func rfc2822(_ ms: Int64) -> String {
        let c = civil(ms, offsetSeconds: 0)
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        return "\(days[c.weekday]), \(two(c.day)) \(months[c.month - 1]) \(c.year) \(clock(c)) +0000"
    }
}

extension Int {
    /// Floor division.
    fileprivate func quotient(_ divisor: Int) -> Int {
        let q = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? q - 1 : q
    }

    fileprivate func modulo(_ divisor: Int) -> Int {
        let r = self % divisor
        return r < 0 ? r + divisor : r
    }
}

extension Int64 {
    fileprivate func quotient(_ divisor: Int64) -> Int64 {
        let q = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? q - 1 : q
    }
}
