public import Foundation

/// Reads the timestamps vendors sign (epoch seconds or milliseconds, ISO 8601, RFC 2822, all
/// printable ASCII) and checks them against a replay window.
public enum WebhookTimestamp {
    /// Seconds since the epoch, or nil when the text is none of the known forms.
    public static func seconds(_ text: String) -> Double? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if !trimmed.isEmpty, trimmed.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let value = Double(trimmed) {
            return value > 100_000_000_000 ? value / 1000 : value
        }
        // Every form read here is printable ASCII; Foundation's formatters are only given that
        // (swift-corelibs' DateFormatter traps on some non-ASCII text, found by fuzz/harnesses/webhooks).
        guard trimmed.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) else { return nil }
        let iso = ISO8601DateFormatter()
        if let date = iso.date(from: trimmed) { return date.timeIntervalSince1970 }
        iso.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = iso.date(from: trimmed) { return date.timeIntervalSince1970 }
        let rfc2822 = DateFormatter()
        rfc2822.locale = Locale(identifier: "en_US_POSIX")
        for format in ["EEE, dd MMM yyyy HH:mm:ss Z", "dd MMM yyyy HH:mm:ss Z"] {
            rfc2822.dateFormat = format
            if let date = rfc2822.date(from: trimmed) { return date.timeIntervalSince1970 }
        }
        return nil
    }

    /// True when `text` is a timestamp within `windowSeconds` of `now` (either direction).
    public static func isFresh(_ text: String, now: Date, windowSeconds: Int) -> Bool {
        guard let value = seconds(text) else { return false }
        return abs(now.timeIntervalSince1970 - value) <= Double(windowSeconds)
    }
}
