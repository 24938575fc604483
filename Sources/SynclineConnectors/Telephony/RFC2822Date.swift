import SynclineMapping

/// Reads RFC 2822 dates as Twilio writes them (`Tue, 14 May 2024 08:00:00 +0000`, zone `GMT`/`UT`
/// or `±HHMM`), falling back to everything `TimestampParser` reads (RFC 3339, epoch numbers).
public enum RFC2822Date {
    static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    /// Milliseconds since the epoch, or nil when the text is no date this reads.
    public static func milliseconds(_ text: String) -> Int64? {
        if let ms = try? TimestampParser.utc.milliseconds(text) { return ms }
        var parts = text.split(separator: " ").map(String.init)
        if let first = parts.first, first.hasSuffix(",") || months.firstIndex(of: first.lowercased()) == nil && Int(first) == nil {
            parts.removeFirst()
        }
        guard parts.count >= 4, let day = Int(parts[0]), let month = months.firstIndex(of: String(parts[1].prefix(3)).lowercased()),
            let year = Int(parts[2])
        else { return nil }
        var time = parts[3]
        if time.split(separator: ":").count == 2 { time += ":00" }
        let zoneText = parts.count > 4 ? parts[4] : "+0000"
        let zone: String
        switch zoneText.uppercased() {
        case "GMT", "UT", "UTC", "Z": zone = "Z"
        default: zone = zoneText
        }
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        let yearText = year < 100 ? "20\(two(year))" : String(year)
        return try? TimestampParser.utc.milliseconds("\(yearText)-\(two(month + 1))-\(two(day))T\(time)\(zone)")
    }
}
