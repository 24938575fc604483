public import Logging
public import SynclineMapping
public import SynclineStore
import Foundation

/// The telephony processor's stage: folds a CDR or Twilio status into the call's state in SQLite
/// (event ids make a redelivery change nothing) and produces the merged `call` activity, keyed
/// `call-<call id>`, so every status of one call updates the same activity. Links by the external
/// party's phone. The first report that finds the call connected and unlinked also produces the
/// `unlinked_call` alert, as a second output of that same input (so its offset waits for it);
/// only a redelivery of that report produces it again. With a `changelog` topic, each change of
/// the call's state is one more output of the report (to the input's partition number).
public struct CallStage: StatefulRecordStage {
    public let name = "telephony"
    public let parser: CallEventParser
    public let store: ActivityStore
    public let linker: CustomerLinker
    public let activities: CanonicalEncoder
    public let alerts: CanonicalEncoder
    public let settings: TelephonySettings
    /// `hub.state.<connector>.v1`, or nil when state is kept locally only (tests, `syncline map`).
    public let changelog: String?
    let logger: Logger
    let clock: @Sendable () -> Int64

    public init(
        settings: TelephonySettings, store: ActivityStore, linker: CustomerLinker, connector: String = "telephony",
        mappingVersion: String = "", catalog: TopicCatalog?, changelog: String? = nil,
        logger: Logger = Logger(label: "syncline.telephony"), clock: (@Sendable () -> Int64)? = nil
    ) {
        self.settings = settings
        self.changelog = changelog
        parser = CallEventParser(settings: settings, connector: connector)
        self.store = store
        self.linker = linker
        activities = CanonicalEncoder(
            topic: TopicNames.activities, connector: connector, mappingVersion: mappingVersion, catalog: catalog,
            explicitNulls: CanonicalEncoder.activityNulls)
        alerts = CanonicalEncoder(topic: TopicNames.alerts, connector: connector, mappingVersion: mappingVersion, catalog: catalog)
        self.logger = logger
        self.clock = clock ?? { EpochClock.nowMs() }
    }

    static let rank = ["queued": 0, "ringing": 1, "in_progress": 2]

    public func process(_ context: inout RecordContext) throws(Rejection) {
        guard let document = context.document else {
            throw Rejection(stage: .map, code: ErrorCode.notDecoded.rawValue, message: "connector \(parser.connector): the telephony stage ran without a decoded call")
        }
        let event = try parser.parse(document)
        if context.eventID == nil { context.eventID = event.eventID }
        if let at = event.atMs ?? event.startMs {
            context.sourceTimeMs = at
            context.sourceTimeProblem = nil
        }
        context.routes = ["call"]
        let nowMs = clock()
        let fallbackMs = context.input.timestampMs ?? nowMs
        var raiseAlert = false
        var changed = false
        let partition = context.input.partition
        let saved: CallState?
        do {
            saved = try store.updateCall("\(event.sourceSystem):\(event.callID)") { state in
                var events = state?.events ?? []
                if events.contains(event.eventID) {
                    raiseAlert = state?.alertEventID == event.eventID
                    return nil
                }
                events.append(event.eventID)
                var call = state.flatMap { try? JSONParser.parse(Array($0.activity.utf8)).objectValue } ?? [:]
                merge(event, into: &call, fallbackMs: fallbackMs)
                var alertEventID = state?.alertEventID
                if alertEventID == nil, needsAlert(call) {
                    alertEventID = event.eventID
                    raiseAlert = true
                }
                let text = String(decoding: JSONWriter.bytes(.object(call)), as: UTF8.self)
                changed = true
                return CallState(
                    callKey: "\(event.sourceSystem):\(event.callID)", activity: text, events: events, alertEventID: alertEventID,
                    updatedMs: nowMs, statePartition: partition)
            }
        } catch {
            throw Rejection(
                stage: .link, code: ErrorCode.stateUnavailable.rawValue, field: nil,
                message: "connector \(parser.connector): cannot store the call state: \(error)")
        }
        guard let saved, let call = try? JSONParser.parse(Array(saved.activity.utf8)).objectValue else { return }
        let activityID = call["activity_id"]?.stringValue ?? "call-\(event.callID)"
        context.outputs.append(try activities.encode(
            call, key: activityID, eventID: context.eventID ?? event.eventID, type: "syncline.telephony.call",
            timeMs: event.atMs))
        if let customer = call["customer_id"]?.stringValue {
            let at = call["started_at"]?.stringValue.flatMap { try? TimestampParser.utc.milliseconds($0) } ?? fallbackMs
            do {
                try store.recordContact(customerID: customer, atMs: at, kind: "call", activityID: activityID)
            } catch {
                logger.warning("telephony: cannot record the last contact of \(customer): \(error)")
            }
        }
        if raiseAlert { context.outputs.append(try alert(call, event: event, nowMs: nowMs)) }
        if changed, let changelog {
            do {
                context.outputs.append(OutputRecord(
                    topic: changelog, key: Array(Self.stateKey(saved.callKey).utf8), value: try StateChangelog.encode(saved),
                    partition: partition))
            } catch {
                throw Rejection(
                    stage: .link, code: ErrorCode.stateUnavailable.rawValue, field: nil,
                    message: "connector \(parser.connector): cannot encode the call state: \(error)")
            }
        }
    }

    /// The changelog key of a call.
    public static func stateKey(_ callKey: String) -> String { "call:\(callKey)" }

    /// Connected (answered, in progress, or billed seconds), with an outside party, and no customer.
    func needsAlert(_ call: [String: JSONValue]) -> Bool {
        guard call["customer_id"] == nil, call["direction"]?.stringValue != "internal" else { return false }
        let disposition = call["disposition"]?.stringValue
        let billed = call["billable_seconds"]?.numberText.flatMap { Int($0) } ?? 0
        return disposition == "answered" || disposition == "in_progress" || billed > 0
    }

    /// Folds one report into the call's canonical record.
    func merge(_ event: CallEvent, into call: inout [String: JSONValue], fallbackMs: Int64) {
        func ms(_ key: String) -> Int64? { call[key]?.stringValue.flatMap { try? TimestampParser.utc.milliseconds($0) } }
        func set(_ key: String, _ value: Int64?) { if let value { call[key] = .string(UTCTimestamp.format(ms: value)) } }
        let at = event.atMs ?? fallbackMs
        call["activity_id"] = .string(String("call-\(event.callID)".prefix(200)))
        call["kind"] = .string("call")
        call["source_system"] = .string(event.sourceSystem)
        call["call_id"] = .string(String(event.callID.prefix(128)))
        call["direction"] = .string(event.direction)
        let fromPhone = linker.normalisedPhone(event.from).flatMap { settings.isExtension(event.from) ? nil : $0 }
        let toPhone = linker.normalisedPhone(event.to).flatMap { settings.isExtension(event.to) ? nil : $0 }
        if let fromPhone { call["from_phone"] = .string(fromPhone) }
        if let toPhone { call["to_phone"] = .string(toPhone) }
        let external = event.direction == "outbound" ? (toPhone, event.to) : event.direction == "inbound" ? (fromPhone, event.from) : (nil, "")
        let staff = event.direction == "outbound" ? event.from : event.to
        if !staff.isEmpty { call["staff_id"] = .string(String(staff.prefix(128))) }
        if let phone = external.0 { call["contact_phone"] = .string(phone) }
        // Disposition: a terminal outcome wins; otherwise the furthest state reached.
        let current = call["disposition"]?.stringValue
        if let current, Self.rank[current] == nil, Self.rank[event.disposition] != nil {
            // already terminal; a late intermediate status changes nothing
        } else if let current, let old = Self.rank[current], let new = Self.rank[event.disposition], new < old {
            // an older intermediate status arriving late
        } else {
            call["disposition"] = .string(event.disposition)
        }
        let started = [ms("started_at"), event.startMs ?? (event.sourceSystem == "twilio" ? at : nil)].compactMap { $0 }.min()
        set("started_at", started ?? at)
        if ms("answered_at") == nil { set("answered_at", event.answerMs) }
        if let end = event.endMs { set("ended_at", end) }
        set("updated_at", max(ms("updated_at") ?? at, at))
        if let billable = event.billableSeconds { call["billable_seconds"] = .number(String(billable)) }
        // The upstream's own duration (CDR `duration`, Twilio `CallDuration`) wins: the callbacks'
        // timestamps say when they were sent, not how long the call lasted.
        if let duration = event.durationSeconds {
            call["duration_seconds"] = .number(String(duration))
        } else if call["duration_seconds"] == nil, let start = ms("started_at"), let end = ms("ended_at") {
            call["duration_seconds"] = .number(String(max(0, end - start) / 1000))
        }
        if call["disposition"]?.stringValue == "answered", ms("answered_at") == nil, let end = ms("ended_at"),
            let billable = call["billable_seconds"]?.numberText.flatMap({ Int64($0) })
        {
            set("answered_at", end - billable * 1000)
        }
        if call["customer_id"] == nil, let phone = external.0, let match = linker.link([.init(.phone, phone)]) {
            call["customer_id"] = .string(match.customerID)
            call["linked_by"] = .string(match.linkedBy.rawValue)
        }
        let label = event.direction == "outbound" ? "Outbound call to" : event.direction == "inbound" ? "Inbound call from" : "Internal call from"
        let party = external.0 ?? (external.1.isEmpty ? event.from : external.1)
        call["subject"] = .string(String("\(label) \(party)".prefix(500)))
        call["event_id"] = .string(String(event.eventID.prefix(128)))
    }

    func alert(_ call: [String: JSONValue], event: CallEvent, nowMs: Int64) throws(Rejection) -> OutputRecord {
        let id = "unlinked_call-\(event.callID)"
        let phone = call["contact_phone"]?.stringValue
        let party = phone ?? (event.direction == "outbound" ? event.to : event.from)
        let text = "Connected \(event.direction) call between \(call["staff_id"]?.stringValue ?? "a staff member") and \(party) "
            + "matches no customer: link the number to a customer in the CRM."
        let members: [String: JSONValue] = [
            "alert_id": .string(String(id.prefix(200))),
            "kind": .string("unlinked_call"),
            "severity": .string("warning"),
            "connector": .string(parser.connector),
            "message": .string(String(text.prefix(1_000))),
            "raised_at": .string(UTCTimestamp.format(ms: nowMs)),
            "activity_id": call["activity_id"] ?? .null,
            "call_id": call["call_id"] ?? .null,
            "source_system": .string(event.sourceSystem),
            "staff_id": call["staff_id"] ?? .null,
            "external_phone": phone.map(JSONValue.string) ?? .null,
            "direction": .string(event.direction),
            "started_at": call["started_at"] ?? .null,
            "duration_seconds": call["duration_seconds"] ?? .null,
            "event_id": .string(String(event.eventID.prefix(128))),
        ]
        return try alerts.encode(members, key: id, eventID: id, type: "syncline.telephony.unlinked_call", timeMs: event.atMs)
    }
}
