/// A `customer_complained` alert on hub.alerts.v1: a ticket became (or still is) an open complaint,
/// so sales must hear of it now. Built from the connector's own canonical outputs — the
/// crm.customer_updates.v1 `complained` patch and, when present, the ticket activity beside it —
/// and keyed by the ticket, so every event of one complaint raises the same alert id (compacted).
public struct ComplaintAlert: Sendable, Equatable {
    public static let kind = "customer_complained"

    public var connector: String
    public var ticketID: String
    public var sourceSystem: String?
    /// `phone:+86…`, `email:…` or `external:…` — the patch's key.
    public var customerRef: String?
    public var phone: String?
    public var email: String?
    public var externalID: String?
    public var customerID: String?
    public var tags: [String]
    public var category: String?
    /// The first non-empty line of the complaint (the ticket's comment or description, else the patch's reason).
    public var firstLine: String
    public var eventID: String?
    public var occurredAt: String?
    public var raisedAtMs: Int64

    /// Stable per complaint: the help desk and its ticket id.
    public var alertID: String { "\(Self.kind)-\(sourceSystem ?? connector)-\(ticketID)" }

    /// Reads the patch (and the activity of the same input, when the connector wrote one); nil when
    /// the patch is not an open complaint or names no ticket.
    public static func from(patch: JSONValue, activity: JSONValue?, connector: String, raisedAtMs: Int64) -> ComplaintAlert? {
        guard patch["complained"]?.boolValue == true, let ticket = text(patch["ticket_id"]) else { return nil }
        let tags = (activity?["tags"]?.arrayValue ?? []).compactMap(text)
        let body = text(activity?["summary"]) ?? text(activity?["subject"]) ?? text(patch["reason"]) ?? ""
        return ComplaintAlert(
            connector: connector, ticketID: ticket, sourceSystem: text(patch["source_system"]), customerRef: text(patch["customer_ref"]),
            phone: text(patch["phone"]), email: text(patch["email"]), externalID: text(patch["external_id"]),
            customerID: text(patch["customer_id"]) ?? text(activity?["customer_id"]), tags: tags,
            category: text(patch["complaint_category"]), firstLine: firstLine(of: body),
            eventID: text(patch["event_id"]), occurredAt: text(patch["occurred_at"]), raisedAtMs: raisedAtMs)
    }

    /// The first line with text in it, trimmed, at most 200 characters.
    public static func firstLine(of text: String) -> String {
        let line = text.split(whereSeparator: \.isNewline).lazy
            .map { String($0.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed()) }
            .first { !$0.isEmpty } ?? ""
        return line.count > 200 ? String(line.prefix(199)) + "…" : line
    }

    static func text(_ value: JSONValue?) -> String? {
        guard let value, let text = FieldConversion.scalarText(value), !text.isEmpty else { return nil }
        return text
    }

    public var message: String {
        var head = "Customer complained on ticket \(ticketID)"
        if !tags.isEmpty { head += " (tags: \(tags.joined(separator: ", ")))" }
        return firstLine.isEmpty ? head : head + ": " + firstLine
    }

    /// The hub.alerts.v1 record (personal data in clear, as in every alert: the admin API and the
    /// status page mask phones, ids and the message unless asked with the token).
    public var record: OutputRecord {
        var members: [(String, JSONValue)] = [
            ("alert_id", .string(alertID)),
            ("kind", .string(Self.kind)),
            ("severity", .string("critical")),
            ("connector", .string(connector)),
            ("message", .string(message)),
            ("raised_at", .string(UTCTimestamp.format(ms: raisedAtMs))),
            ("ticket_id", .string(ticketID)),
            ("tags", .array(tags.map(JSONValue.string))),
            ("first_line", .string(firstLine)),
        ]
        let optional: [(String, String?)] = [
            ("source_system", sourceSystem), ("customer_ref", customerRef), ("customer_id", customerID),
            ("external_phone", phone), ("external_id", externalID ?? email), ("complaint_category", category),
            ("event_id", eventID), ("occurred_at", occurredAt),
        ]
        for (key, value) in optional { if let value { members.append((key, .string(value))) } }
        return HubAlertRecord.make(alertID: alertID, kind: Self.kind, connector: connector, raisedAtMs: raisedAtMs, members: members)
    }
}
