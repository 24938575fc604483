public import SynclineMapping
import SynclineStore
import Foundation

/// A light stage the hub appends to a declarative connector whose file lists `follow_up` under
/// `after_routes:` (one writing `crm.leads.v1` or ticket activities to `crm.activities.v1`): for
/// each such output (after validation) it hands the lead or ticket — with the record's
/// `customer_id`, else its phone, email or external id — to the `FollowUpRecorder`, which reads,
/// links and records it off the hot path for the weekly follow-up report (keyed by lead/ticket id,
/// so redeliveries count once); a ticket is also logged as a contact. It never rejects a record.
public struct FollowUpStage: RecordStage {
    public let name = "follow-up"
    public let recorder: FollowUpRecorder
    /// The connector's `defaults.phone_region`: phones without a country code are read in it.
    public let phoneRegion: String

    public init(recorder: FollowUpRecorder, phoneRegion: String) {
        self.recorder = recorder
        self.phoneRegion = phoneRegion
    }

    /// Hands each lead or ticket output over as it is (its bytes are shared, not copied): reading
    /// and linking happen on the recorder's thread, so the hot path never parses its own output.
    /// While the identity index is empty, only outputs that name their customer are handed over.
    public func process(_ context: inout RecordContext) throws(Rejection) {
        for output in context.outputs where output.topic == TopicNames.leads || output.topic == TopicNames.activities {
            guard let value = output.value, recorder.wants(value) else { continue }
            recorder.enqueue(FollowUpRecorder.Output(
                topic: output.topic, value: value, eventID: context.eventID,
                fallbackMs: context.sourceTimeMs ?? context.input.timestampMs, coordinates: context.input.coordinates,
                phoneRegion: phoneRegion))
        }
    }

    /// Reads one lead or ticket activity for the follow-up report (nil: not one, or nothing to link by).
    static func pending(_ output: FollowUpRecorder.Output, nowMs: Int64) -> FollowUpRecorder.Pending? {
        guard let record = try? JSONParser.parse(output.value).objectValue else { return nil }
        func text(_ key: String) -> String? { record[key].flatMap(FieldConversion.scalarText).flatMap { $0.isEmpty ? nil : $0 } }
        func time(_ keys: [String]) -> Int64 {
            for key in keys { if let t = text(key), let ms = try? TimestampParser.utc.milliseconds(t) { return ms } }
            return output.fallbackMs ?? nowMs
        }
        let kind: String
        let reference: String
        let atMs: Int64
        var identifiers: [CustomerIdentity.Identifier] = []
        if output.topic == TopicNames.leads {
            kind = "lead"
            reference = text("lead_id") ?? output.eventID ?? output.coordinates
            atMs = time(["occurred_at", "created_at"])
            if let phone = text("phone") { identifiers.append(.init(.phone, phone)) }
            if let email = text("email") { identifiers.append(.init(.email, email)) }
        } else {
            guard text("kind") == "ticket" else { return nil }
            kind = "ticket"
            reference = text("ticket_id") ?? text("activity_id") ?? output.coordinates
            atMs = time(["updated_at", "started_at"])
            if let phone = text("contact_phone") { identifiers.append(.init(.phone, phone)) }
            if let email = text("contact_email") { identifiers.append(.init(.email, email)) }
            if let external = text("contact_external_id") { identifiers.append(.init(.externalID, external)) }
        }
        let customer = text("customer_id")
        guard customer != nil || !identifiers.isEmpty else { return nil }
        return FollowUpRecorder.Pending(
            customerID: customer, identifiers: identifiers, kind: kind, reference: reference, atMs: atMs,
            activityID: text("activity_id"))
    }
}
