public import SynclineMapping
import Foundation

/// Reads a decoded Asterisk-style CDR (`uniqueid`, `src`, `dst`, `start`, `answer`, `end`,
/// `duration`, `billsec`, `disposition`, optional `direction`) or Twilio status callback
/// (`CallSid`, `From`, `To`, `CallStatus`, `Direction`, `CallDuration`, `Timestamp`, optional
/// `SequenceNumber`) into a `CallEvent`; anything else is rejected at `map`.
public struct CallEventParser: Sendable {
    public let settings: TelephonySettings
    public let connector: String
    let timestamps: TimestampParser

    public init(settings: TelephonySettings, connector: String = "telephony") {
        self.settings = settings
        self.connector = connector
        timestamps = TimestampParser(defaultZone: TimestampParser.Zone(settings.timezone) ?? .fixed(seconds: 0))
    }

    static let cdrDispositions = [
        "ANSWERED": "answered", "NO ANSWER": "no_answer", "NOANSWER": "no_answer", "BUSY": "busy", "FAILED": "failed",
        "CONGESTION": "congestion", "CANCEL": "canceled", "CANCELED": "canceled",
    ]
    static let twilioStatuses = [
        "queued": "queued", "initiated": "queued", "ringing": "ringing", "in-progress": "in_progress", "answered": "in_progress",
        "completed": "answered", "busy": "busy", "no-answer": "no_answer", "failed": "failed", "canceled": "canceled",
    ]

    func reject(_ code: ErrorCode, _ field: String?, _ reason: String) -> Rejection {
        Rejection(stage: .map, code: code.rawValue, field: field, message: "connector \(connector): \(reason)")
    }

    func text(_ document: JSONValue, _ key: String) -> String? {
        guard let value = document[key], let text = FieldConversion.scalarText(value) else { return nil }
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.isEmpty ? nil : trimmed
    }

    func seconds(_ document: JSONValue, _ key: String) throws(Rejection) -> Int? {
        guard let text = text(document, key) else { return nil }
        guard let value = Int(text) ?? Double(text).map({ Int($0) }), value >= 0 else {
            throw reject(.notAnInteger, key, "'\(key)' is not a whole number of seconds: '\(text)'")
        }
        return value
    }

    func time(_ document: JSONValue, _ key: String, rfc2822: Bool = false) throws(Rejection) -> Int64? {
        guard let text = text(document, key), !text.hasPrefix("0000-00-00") else { return nil }
        if rfc2822, let ms = RFC2822Date.milliseconds(text) { return ms }
        if let ms = try? timestamps.milliseconds(text) { return ms }
        throw reject(.invalidTimestamp, key, "'\(key)' is not a timestamp: '\(text)'")
    }

    public func parse(_ document: JSONValue) throws(Rejection) -> CallEvent {
        if document["uniqueid"] != nil { return try parseCDR(document) }
        if document["CallSid"] != nil { return try parseTwilio(document) }
        throw reject(.noRoute, nil, "neither an Asterisk CDR (uniqueid) nor a Twilio status callback (CallSid)")
    }

    func parseCDR(_ document: JSONValue) throws(Rejection) -> CallEvent {
        guard let id = text(document, "uniqueid") else { throw reject(.requiredMissing, "uniqueid", "'uniqueid' is empty") }
        guard let src = text(document, "src") else { throw reject(.requiredMissing, "src", "'src' is missing") }
        guard let dst = text(document, "dst") else { throw reject(.requiredMissing, "dst", "'dst' is missing") }
        guard let start = try time(document, "start") else { throw reject(.requiredMissing, "start", "'start' is missing") }
        let rawDisposition = (text(document, "disposition") ?? "").uppercased()
        guard let disposition = Self.cdrDispositions[rawDisposition] else {
            throw reject(.valueNotInEnum, "disposition", "disposition '\(rawDisposition)' is not ANSWERED, NO ANSWER, BUSY, FAILED or CONGESTION")
        }
        let direction: String
        if let declared = text(document, "direction")?.lowercased(), ["inbound", "outbound", "internal"].contains(declared) {
            direction = declared
        } else {
            switch (settings.isExtension(src), settings.isExtension(dst)) {
            case (true, true): direction = "internal"
            case (true, false): direction = "outbound"
            default: direction = "inbound"
            }
        }
        let end = try time(document, "end")
        return CallEvent(
            sourceSystem: "asterisk", callID: id, eventID: "cdr-\(id)", from: src, to: dst, direction: direction,
            disposition: disposition, startMs: start, answerMs: try time(document, "answer"), endMs: end, atMs: end ?? start,
            durationSeconds: try seconds(document, "duration"), billableSeconds: try seconds(document, "billsec") ?? (disposition == "answered" ? nil : 0))
    }

    func parseTwilio(_ document: JSONValue) throws(Rejection) -> CallEvent {
        guard let sid = text(document, "CallSid") else { throw reject(.requiredMissing, "CallSid", "'CallSid' is empty") }
        let rawStatus = (text(document, "CallStatus") ?? "").lowercased()
        guard let status = Self.twilioStatuses[rawStatus] else {
            throw reject(.valueNotInEnum, "CallStatus", "CallStatus '\(rawStatus)' is not a Twilio call status")
        }
        let rawDirection = (text(document, "Direction") ?? "inbound").lowercased()
        let direction = rawDirection.hasPrefix("outbound") ? "outbound" : "inbound"
        let at = try time(document, "Timestamp", rfc2822: true)
        let sequence = text(document, "SequenceNumber") ?? at.map(String.init) ?? ""
        let duration = try seconds(document, "CallDuration")
        let terminal = ["answered", "busy", "no_answer", "failed", "canceled"].contains(status)
        return CallEvent(
            sourceSystem: "twilio", callID: sid, eventID: "\(sid)-\(rawStatus)\(sequence.isEmpty ? "" : "-\(sequence)")",
            from: text(document, "From") ?? "", to: text(document, "To") ?? "", direction: direction, disposition: status,
            startMs: nil, answerMs: status == "in_progress" ? at : nil, endMs: terminal ? at : nil, atMs: at,
            durationSeconds: duration, billableSeconds: status == "answered" ? duration : (terminal ? 0 : nil))
    }
}
