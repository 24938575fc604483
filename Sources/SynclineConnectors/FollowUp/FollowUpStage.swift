public import SynclineCore
import SynclineStore
import Foundation

/// A light stage the hub appends to every declarative connector that writes `crm.leads.v1` or
/// ticket activities to `crm.activities.v1`: for each such output (after validation) it hands the
/// lead or ticket — with the record's `customer_id`, else its phone, email or external id — to the
/// `FollowUpRecorder`, which links and records it off the hot path for the weekly follow-up report
/// (keyed by lead/ticket id, so redeliveries count once); a ticket is also logged as a contact.
/// It never rejects a record.
public struct FollowUpStage: RecordStage {
    public let name = "follow-up"
    public let recorder: FollowUpRecorder

    public init(recorder: FollowUpRecorder) {
        self.recorder = recorder
    }

    /// True when a connector writes the records this stage looks at.
    public static func applies(to spec: ConnectorSpec) -> Bool {
        spec.routes.contains { $0.topic == "crm.leads.v1" || $0.topic == "crm.activities.v1" }
    }

    public func process(_ context: inout RecordContext) throws(Rejection) {
        for output in context.outputs where output.topic == "crm.leads.v1" || output.topic == "crm.activities.v1" {
            guard let value = output.value, let record = try? JSONParser.parse(value).objectValue else { continue }
            func text(_ key: String) -> String? { record[key].flatMap(FieldConversion.scalarText).flatMap { $0.isEmpty ? nil : $0 } }
            func time(_ keys: [String]) -> Int64 {
                for key in keys { if let t = text(key), let ms = try? TimestampParser.utc.milliseconds(t) { return ms } }
                return context.sourceTimeMs ?? context.input.timestampMs ?? Int64(Date().timeIntervalSince1970 * 1000)
            }
            let kind: String
            let reference: String
            let atMs: Int64
            var identifiers: [CustomerIdentity.Identifier] = []
            if output.topic == "crm.leads.v1" {
                kind = "lead"
                reference = text("lead_id") ?? context.eventID ?? context.input.coordinates
                atMs = time(["occurred_at", "created_at"])
                if let phone = text("phone") { identifiers.append(.init(.phone, phone)) }
                if let email = text("email") { identifiers.append(.init(.email, email)) }
            } else {
                guard text("kind") == "ticket" else { continue }
                kind = "ticket"
                reference = text("ticket_id") ?? text("activity_id") ?? context.input.coordinates
                atMs = time(["updated_at", "started_at"])
                if let phone = text("contact_phone") { identifiers.append(.init(.phone, phone)) }
                if let email = text("contact_email") { identifiers.append(.init(.email, email)) }
                if let external = text("contact_external_id") { identifiers.append(.init(.externalID, external)) }
            }
            let customer = text("customer_id")
            guard customer != nil || !identifiers.isEmpty else { continue }
            recorder.enqueue(FollowUpRecorder.Pending(
                customerID: customer, identifiers: identifiers, kind: kind, reference: reference, atMs: atMs,
                activityID: text("activity_id")))
        }
    }
}
