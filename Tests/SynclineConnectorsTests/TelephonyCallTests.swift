import Foundation
import SynclineConnectors
import SynclineMapping
import SynclineStore
import Testing

@Suite("telephony processor: CDRs, Twilio status sequences, linking, unlinked_call alerts")
struct TelephonyCallTests {
    struct Telephony {
        let harness: ProcessorHarness
        let pipeline: RecordPipeline

        init(_ harness: ProcessorHarness) throws {
            self.harness = harness
            let spec = try ProcessorHarness.spec("telephony")
            let assembly = ConnectorAssembly(
                catalog: harness.catalog, identity: harness.identity, activities: harness.store, logger: ProcessorHarness.logger)
            pipeline = try assembly.build(spec).pipeline
        }

        func send(_ text: String) throws -> RecordContext {
            try pipeline.run(ProcessorHarness.record(text, topic: "raw.telephony.calls.v1")).get()
        }
    }

    static let samples = ProcessorHarness.repositoryRoot.appendingPathComponent("connectors/samples/telephony")
    static func sample(_ name: String) throws -> String { try String(contentsOf: samples.appendingPathComponent(name), encoding: .utf8) }

    static func twilio(_ sid: String, _ status: String, from: String = "+14155550100", to: String = "+14155550199", seconds: Int, duration: Int? = nil, direction: String = "inbound") -> String {
        let stamp = "Tue, 14 May 2024 08:\(String(format: "%02d", seconds / 60)):\(String(format: "%02d", seconds % 60)) +0000"
        var body = "CallSid=\(sid)&From=\(from.replacingOccurrences(of: "+", with: "%2B"))&To=\(to.replacingOccurrences(of: "+", with: "%2B"))&CallStatus=\(status)&Direction=\(direction)"
        body += "&Timestamp=" + (stamp.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")
        if let duration { body += "&CallDuration=\(duration)" }
        return body
    }

    @Test("a Twilio status sequence (shipped samples, plus a late and a redelivered status) collapses into ONE call activity")
    func twilioSequence() throws {
        let harness = try ProcessorHarness()
        try harness.customers([.upsert(CustomerIdentity(customerID: "CUS-1", identifiers: [.init(.phone, "+14155550100")]))])
        let telephony = try Telephony(harness)
        var outputs: [OutputRecord] = []
        for name in ["twilio/1-ringing.form", "twilio/2-in-progress.form", "twilio/3-completed.form"] {
            outputs += try telephony.send(try Self.sample(name)).outputs
        }
        outputs += try telephony.send(try Self.sample("twilio/1-ringing.form")).outputs  // redelivered, late
        #expect(outputs.count == 4)
        #expect(Set(outputs.map(\.topic)) == ["crm.activities.v1"], "linked: no alert")
        #expect(Set(outputs.map { String(decoding: $0.key ?? [], as: UTF8.self) }) == ["call-CA5f1e4a4ac2b3c0e1d2f3a4b5c6d7e8f9"])
        let final = ProcessorHarness.json(try #require(outputs.last))
        #expect(final["disposition"] == .string("answered"))
        #expect(final["source_system"] == .string("twilio"))
        #expect(final["direction"] == .string("inbound"))
        #expect(final["from_phone"] == .string("+14155550100"))
        #expect(final["to_phone"] == .string("+14155550199"))
        #expect(final["started_at"] == .string("2024-05-14T08:00:00.000Z"))
        #expect(final["answered_at"] == .string("2024-05-14T08:00:06.000Z"))
        #expect(final["ended_at"] == .string("2024-05-14T08:01:40.000Z"))
        #expect(final["duration_seconds"] == .number("94"), "Twilio's CallDuration, not the callbacks' timestamps 100 s apart")
        #expect(final["billable_seconds"] == .number("94"))
        #expect(final["customer_id"] == .string("CUS-1"))
        #expect(final["linked_by"] == .string("phone"))
        #expect(final["contact_phone"] == .string("+14155550100"))
        #expect(ProcessorHarness.json(outputs[0])["disposition"] == .string("ringing"))
    }

    @Test("Asterisk CDRs: one activity each, local times in the declared zone, direction from the extension rule, linked by the outside number")
    func asteriskCDRs() throws {
        let harness = try ProcessorHarness()
        try harness.customers([.upsert(CustomerIdentity(customerID: "CUS-2", identifiers: [.init(.phone, "+8613800138000")]))])
        let telephony = try Telephony(harness)
        let inbound = try telephony.send(try Self.sample("asterisk-cdr.json"))
        #expect(inbound.outputs.count == 1)
        let call = ProcessorHarness.json(inbound.outputs[0])
        #expect(call["activity_id"] == .string("call-1715648400.18"))
        #expect(call["direction"] == .string("inbound"))
        #expect(call["staff_id"] == .string("8001"))
        #expect(call["from_phone"] == .string("+8613800138000"))
        #expect(call["to_phone"] == nil)
        #expect(call["started_at"] == .string("2024-05-14T01:00:00.000Z"))
        #expect(call["answered_at"] == .string("2024-05-14T01:00:05.000Z"))
        #expect(call["duration_seconds"] == .number("200"))
        #expect(call["billable_seconds"] == .number("195"))
        #expect(call["customer_id"] == .string("CUS-2"))
        let outbound = try telephony.send(try Self.sample("asterisk-outbound-noanswer.json"))
        let missed = ProcessorHarness.json(outbound.outputs[0])
        #expect(outbound.outputs.count == 1, "not connected: no alert although unlinked")
        #expect(missed["direction"] == .string("outbound"))
        #expect(missed["to_phone"] == .string("+862158881234"))
        #expect(missed["disposition"] == .string("no_answer"))
        #expect(missed["customer_id"] == .null, "unlinked: written as null, as the topic documents")
        #expect(missed["linked_by"] == .null)
        let text = String(decoding: outbound.outputs[0].value ?? [], as: UTF8.self)
        #expect(text.contains(#""customer_id":null"#))
    }

    @Test("Twilio duration_seconds is CallDuration (not the callbacks' time span); a no-answer call with CallDuration 0 lasts 0 s")
    func twilioDurationFromCallDuration() throws {
        let telephony = try Telephony(try ProcessorHarness())
        _ = try telephony.send(Self.twilio("CAlong", "ringing", seconds: 0))
        _ = try telephony.send(Self.twilio("CAlong", "in-progress", seconds: 9))
        let completed = try telephony.send(Self.twilio("CAlong", "completed", seconds: 141, duration: 132))
        let call = ProcessorHarness.json(try #require(completed.outputs.first))
        #expect(call["duration_seconds"] == .number("132"))
        #expect(call["billable_seconds"] == .number("132"))
        #expect(call["started_at"] == .string("2024-05-14T08:00:00.000Z"))
        #expect(call["ended_at"] == .string("2024-05-14T08:02:21.000Z"))
        // A late intermediate status without CallDuration keeps it.
        let late = try telephony.send(Self.twilio("CAlong", "ringing", from: "+14155550100", seconds: 1))
        #expect(ProcessorHarness.json(try #require(late.outputs.first))["duration_seconds"] == .number("132"))

        _ = try telephony.send(Self.twilio("CAmissed", "ringing", seconds: 0))
        let missed = try telephony.send(Self.twilio("CAmissed", "no-answer", seconds: 32, duration: 0))
        let record = ProcessorHarness.json(try #require(missed.outputs.first))
        #expect(record["disposition"] == .string("no_answer"))
        #expect(record["duration_seconds"] == .number("0"))
        #expect(record["customer_id"] == .null)
    }

    @Test("a connected call with an unknown number raises ONE unlinked_call alert: not on later statuses, again only when the raising status is redelivered")
    func unlinkedCallOnce() throws {
        let harness = try ProcessorHarness()
        var telephony = try Telephony(harness)
        var alerts: [OutputRecord] = []
        alerts += try telephony.send(Self.twilio("CAstranger", "ringing", seconds: 0)).outputs.filter { $0.topic == "hub.alerts.v1" }
        #expect(alerts.isEmpty, "ringing is not connected")
        alerts += try telephony.send(Self.twilio("CAstranger", "in-progress", seconds: 5)).outputs.filter { $0.topic == "hub.alerts.v1" }
        #expect(alerts.count == 1)
        // Restart (reopened state) before the later status.
        telephony = try Telephony(try harness.reopened())
        alerts += try telephony.send(Self.twilio("CAstranger", "completed", seconds: 65, duration: 60)).outputs.filter { $0.topic == "hub.alerts.v1" }
        #expect(alerts.count == 1)
        let alert = ProcessorHarness.json(alerts[0])
        #expect(alert["alert_id"] == .string("unlinked_call-CAstranger"))
        #expect(alert["kind"] == .string("unlinked_call"))
        #expect(alert["external_phone"] == .string("+14155550100"))
        #expect(alert["direction"] == .string("inbound"))
        #expect(alert["call_id"] == .string("CAstranger"))
        // The input that raised it, redelivered (its offset was not committed): raised again, same id.
        let again = try telephony.send(Self.twilio("CAstranger", "in-progress", seconds: 5)).outputs.filter { $0.topic == "hub.alerts.v1" }
        #expect(again.map(\.key) == alerts.map(\.key))
        // An internal call (extension to extension) never alerts.
        let internalCall = #"{"src":"8001","dst":"8002","start":"2024-05-14 09:00:00","answer":"2024-05-14 09:00:02","end":"2024-05-14 09:01:00","duration":60,"billsec":58,"disposition":"ANSWERED","uniqueid":"int.1"}"#
        #expect(try telephony.send(internalCall).outputs.count == 1)
        // A connected CDR with an unknown outside number alerts once.
        let cdr = #"{"src":"8001","dst":"13900139000","start":"2024-05-14 09:00:00","answer":"2024-05-14 09:00:02","end":"2024-05-14 09:01:00","duration":60,"billsec":58,"disposition":"ANSWERED","uniqueid":"out.1"}"#
        let outputs = try telephony.send(cdr).outputs
        #expect(outputs.map(\.topic) == ["crm.activities.v1", "hub.alerts.v1"])
        #expect(ProcessorHarness.json(outputs[1])["external_phone"] == .string("+8613900139000"))
        #expect(ProcessorHarness.json(outputs[1])["direction"] == .string("outbound"))
    }

    @Test("invalid samples are rejected with a code; RFC 2822 Twilio timestamps are read")
    func invalidSamples() throws {
        let telephony = try Telephony(try ProcessorHarness())
        let expected = ["bad-disposition.json": "value_not_in_enum", "unknown-shape.json": "no_route", "bad-percent.form": "invalid_form"]
        for (name, code) in expected {
            let result = telephony.pipeline.run(ProcessorHarness.record(try Self.sample("invalid/\(name)"), topic: "raw.telephony.calls.v1"))
            guard case .failure(let rejection) = result else {
                Issue.record("\(name) was accepted")
                continue
            }
            #expect(rejection.code == code, "\(name): \(rejection)")
        }
        #expect(RFC2822Date.milliseconds("Tue, 14 May 2024 08:00:00 +0000") == 1_715_673_600_000)
        #expect(RFC2822Date.milliseconds("14 May 2024 16:00:00 +0800") == 1_715_673_600_000)
        #expect(RFC2822Date.milliseconds("Tue, 14 May 2024 08:00:00 GMT") == 1_715_673_600_000)
        #expect(RFC2822Date.milliseconds("soon") == nil)
    }
}
