import Foundation

/// Parses the short durations operators type (`90s`, `30m`, `24h`, `7d`) into milliseconds.
public enum DurationText {
    public static func milliseconds(_ text: String) -> Int64? {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        guard let unit = trimmed.last, let value = Int64(trimmed.dropLast()), value >= 0 else { return nil }
        switch unit {
        case "s": return value * 1_000
        case "m": return value * 60_000
        case "h": return value * 3_600_000
        case "d": return value * 86_400_000
        default: return nil
        }
    }
}
