import Foundation
import SynclineMapping
import SynclineSecurity

/// One record of `hub.alerts.v1` as `GET /api/v1/alerts` shows it: the alert's own fields plus
/// where it sits in Kafka. Fields an alert does not carry are omitted.
public struct RecentAlert: Codable, Sendable, Equatable {
    public var alertID: String?
    /// `unlinked_conversation`, `unlinked_call`, `customer_complained`, … (the runtime's own kinds too).
    public var kind: String?
    public var severity: String?
    public var connector: String?
    public var message: String?
    /// When the hub raised it (RFC 3339 UTC), else the Kafka record time.
    public var raisedAt: String?
    public var sourceSystem: String?
    public var staffID: String?
    public var externalID: String?
    public var externalPhone: String?
    public var customerID: String?
    public var conversationID: String?
    public var callID: String?
    public var ticketID: String?
    public var durationSeconds: Int?
    /// A complaint's customer (`phone:…`, `email:…`, `external:…`), its ticket tags and first line.
    public var customerRef: String?
    public var tags: [String]?
    public var firstLine: String?
    /// A reconciliation gap's period and currency.
    public var period: String?
    public var currency: String?
    /// `hub.alerts.v1[partition]@offset`.
    public var record: String
    /// Kafka record time in ms since the epoch (what "newest first" sorts by when `raised_at` ties).
    public var brokerMs: Int64?

    enum CodingKeys: String, CodingKey {
        case kind, severity, connector, message, record
        case alertID = "alert_id"
        case raisedAt = "raised_at"
        case sourceSystem = "source_system"
        case staffID = "staff_id"
        case externalID = "external_id"
        case externalPhone = "external_phone"
        case customerID = "customer_id"
        case conversationID = "conversation_id"
        case callID = "call_id"
        case ticketID = "ticket_id"
        case durationSeconds = "duration_seconds"
        case customerRef = "customer_ref"
        case tags
        case firstLine = "first_line"
        case period, currency
        case brokerMs = "broker_ms"
    }

    /// Reads an alert record's JSON value; a value that is not a JSON object still yields an entry
    /// (kind nil), so a malformed alert is visible rather than silently skipped.
    public init(value: [UInt8]?, topic: String, partition: Int32, offset: Int64, timestampMs: Int64?) {
        record = "\(topic)[\(partition)]@\(offset)"
        brokerMs = timestampMs
        let object = value.flatMap { try? JSONSerialization.jsonObject(with: Data($0)) } as? [String: Any] ?? [:]
        func text(_ key: String) -> String? {
            switch object[key] {
            case let value as String: return value
            case let value as NSNumber: return value.stringValue
            default: return nil
            }
        }
        alertID = text("alert_id")
        kind = text("kind")
        severity = text("severity")
        connector = text("connector")
        message = text("message") ?? (value == nil ? "(empty alert record)" : nil)
        raisedAt = text("raised_at")
        sourceSystem = text("source_system")
        staffID = text("staff_id")
        externalID = text("external_id")
        externalPhone = text("external_phone")
        customerID = text("customer_id")
        conversationID = text("conversation_id")
        callID = text("call_id")
        ticketID = text("ticket_id")
        durationSeconds = (object["duration_seconds"] as? NSNumber)?.intValue
        customerRef = text("customer_ref")
        tags = (object["tags"] as? [Any])?.compactMap { $0 as? String }
        firstLine = text("first_line")
        period = text("period")
        currency = text("currency")
    }
}

extension RecentAlert {
    /// The alert as shown by default: the external phone and id masked, quoted values, phones and
    /// emails in the message masked. Staff, customer, call and conversation ids are the hub's or the
    /// company's own and stay.
    public var masked: RecentAlert {
        var copy = self
        copy.externalPhone = externalPhone.map(PersonalDataMask.identifier)
        copy.externalID = externalID.map(PersonalDataMask.identifier)
        // A reconciliation gap speaks of money totals only; masking would turn its figures into `***`.
        if kind != ReconciliationGapAlert.kind { copy.message = message.map(PersonalDataMask.text) }
        copy.customerRef = customerRef.map(PersonalDataMask.identifier)
        copy.firstLine = firstLine.map(PersonalDataMask.text)
        return copy
    }
}
