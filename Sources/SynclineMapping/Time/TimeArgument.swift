/// A point in time as operators type it on the command line: a duration back from now (`30m`,
/// `24h`, `7d`), an ISO-8601 time with an offset (`2026-12-01T08:00:00Z`) or epoch milliseconds.
public enum TimeArgument {
    public static func epochMs(_ text: String, nowMs: Int64) -> Int64? {
        if let window = DurationText.milliseconds(text) { return nowMs - window }
        return try? TimestampParser.utc.milliseconds(text)
    }
}
