import Foundation
import Logging
import SynclineAdmin
import SynclineMapping
import SynclineHub
import SynclineKafka
import SynclineStore
import Testing

@Suite("IM and telephony end to end: identity index, chats and calls, linked activities and alerts", .serialized)
struct IMTelephonyEndToEndTests {
    let logger = HubTestSupport.logger

    static func shipped(_ name: String) throws -> String {
        try String(contentsOf: ProjectFixture.repositoryRoot.appendingPathComponent("connectors/\(name)"), encoding: .utf8)
    }

    func publish(_ records: [OutputRecord], config: KafkaConfig) async throws {
        try await HubTestSupport.publish(records, config: config)
    }

    func read(_ topic: String, partitions: Int, config: KafkaConfig) async throws -> [InputRecord] {
        try await HubTestSupport.read(topic, partitions: partitions, config: config)
    }

    /// Polls `condition` until it holds or the deadline passes; returns whether it held.
    func waitUntil(_ seconds: Int = 90, _ condition: () async throws -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + .seconds(seconds)
        while ContinuousClock.now < deadline {
            if try await condition() { return true }
            try await Task.sleep(for: .milliseconds(250))
        }
        return try await condition()
    }

    static func latestByKey(_ records: [InputRecord]) -> [String: [String: JSONValue]] {
        var result: [String: [String: JSONValue]] = [:]
        for record in records.sorted(by: { ($0.partition, $0.offset) < ($1.partition, $1.offset) }) {
            guard let key = record.key.map({ String(decoding: $0, as: UTF8.self) }), let value = record.value,
                let object = try? JSONParser.parse(value).objectValue
            else { continue }
            result[key] = object
        }
        return result
    }

    @Test("a customer changelog (with a tombstone), then a day of chats and calls with that customer and with strangers → linked activities for the customer and exactly the expected alerts")
    func customerChatsAndCalls() async throws {
        // The shipped connector files; only the backlog quiet period is shortened so closed conversations come out in seconds.
        let im = try Self.shipped("im.yaml").replacingOccurrences(of: "close_quiet: 30s", with: "close_quiet: 1s")
        #expect(im.contains("close_quiet: 1s"))
        let project = try ProjectFixture(connectors: ["im.yaml": im, "telephony.yaml": try Self.shipped("telephony.yaml")])
        let hub = try await ReadyHub.start(project, logger: logger)
        defer { hub.stop() }
        let app = hub.app
        let base = hub.base
        #expect(try await HTTPTestClient.call("GET", base + "/readyz").status == 200)
        let config = hub.config

        // 1. The CRM's changelog: C-100 (our customer), C-200 created then deleted (tombstone).
        let updated = UTCTimestamp.format(ms: Int64(Date().timeIntervalSince1970 * 1000))
        try await publish([
            OutputRecord(topic: "crm.customers.v1", key: Array("C-100".utf8), value: Array(#"{"customer_id":"C-100","name":"韩梅梅","phones":["+8613800138000"],"wecom_external_ids":["wmKnownCustomer"],"owner":"zhangsan","updated_at":"\#(updated)"}"#.utf8)),
            OutputRecord(topic: "crm.customers.v1", key: Array("C-200".utf8), value: Array(#"{"customer_id":"C-200","phones":["+8613900139999"],"owner":"lisi","updated_at":"\#(updated)"}"#.utf8)),
            OutputRecord(topic: "crm.customers.v1", key: Array("C-200".utf8), value: nil),
        ], config: config)
        let identity = try IdentityIndex(path: IdentityIndex.path(inStateDirectory: project.state))
        #expect(try await waitUntil(30) {
            try identity.customerID(.wecomExternalID, "wmKnownCustomer") == "C-100" && identity.positions(topic: "crm.customers.v1").values.reduce(0, +) == 3
        })
        #expect(try identity.customerID(.phone, "+8613900139999") == nil, "the tombstone removed C-200")

        // 2. A day of chats (times in the past, so the 10 min idle gap has passed) and calls.
        let dayStart = (Int64(Date().timeIntervalSince1970 * 1000) / 86_400_000 - 1) * 86_400_000 + 9 * 3_600_000
        let minute: Int64 = 60_000
        func wecom(_ id: String, _ from: String, _ to: String, _ at: Int64, _ text: String) -> OutputRecord {
            let pair = [from, to].sorted().joined(separator: "|")
            return OutputRecord(topic: "raw.im.messages.v1", key: Array(pair.utf8), value: Array(
                #"{"msgid":"\#(id)","action":"send","from":"\#(from)","tolist":["\#(to)"],"roomid":"","msgtime":\#(at),"msgtype":"text","text":{"content":"\#(text)"}}"#.utf8))
        }
        var chats: [OutputRecord] = []
        for n in 0..<4 {  // customer, morning: 4 messages over 8 minutes
            chats.append(n % 2 == 0 ? wecom("c1-\(n)", "wmKnownCustomer", "zhangsan", dayStart + Int64(n) * 2 * minute, "上午 \(n)")
                : wecom("c1-\(n)", "zhangsan", "wmKnownCustomer", dayStart + Int64(n) * 2 * minute, "上午 \(n)"))
        }
        chats.append(wecom("c2-0", "zhangsan", "wmKnownCustomer", dayStart + 120 * minute, "下午回访"))  // customer again, 2 h later
        chats.append(wecom("c2-1", "wmKnownCustomer", "zhangsan", dayStart + 121 * minute, "好的"))
        for n in 0..<5 { chats.append(wecom("s1-\(n)", n % 2 == 0 ? "wmStranger" : "lisi", n % 2 == 0 ? "lisi" : "wmStranger", dayStart + Int64(n) * 105_000, "问价 \(n)")) }  // 7 min
        chats.append(wecom("s2-0", "wmShortStranger", "lisi", dayStart + 30 * minute, "hi"))  // 1 min: no alert
        chats.append(wecom("s2-1", "lisi", "wmShortStranger", dayStart + 31 * minute, "hello"))
        chats.append(chats[1])  // a redelivered message
        func twilio(_ sid: String, _ from: String, _ status: String, _ at: Int64, duration: Int? = nil) -> OutputRecord {
            let stamp = UTCTimestamp.format(ms: at).addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
            var body = "CallSid=\(sid)&From=\(from.replacingOccurrences(of: "+", with: "%2B"))&To=%2B14155550199&CallStatus=\(status)&Direction=inbound&Timestamp=\(stamp)"
            if let duration { body += "&CallDuration=\(duration)" }
            return OutputRecord(topic: "raw.telephony.calls.v1", key: Array(sid.utf8), value: Array(body.utf8))
        }
        func cdr(_ id: String, _ src: String, _ disposition: String, billsec: Int) -> OutputRecord {
            OutputRecord(topic: "raw.telephony.calls.v1", key: Array(id.utf8), value: Array(
                #"{"src":"\#(src)","dst":"8001","start":"2024-05-14 09:00:00","answer":"\#(billsec > 0 ? "2024-05-14 09:00:04" : "")","end":"2024-05-14 09:02:00","duration":120,"billsec":\#(billsec),"disposition":"\#(disposition)","uniqueid":"\#(id)"}"#.utf8))
        }
        let calls = [
            twilio("CAcustomer", "+8613800138000", "ringing", dayStart + 200 * minute),
            twilio("CAcustomer", "+8613800138000", "in-progress", dayStart + 200 * minute + 5_000),
            twilio("CAcustomer", "+8613800138000", "completed", dayStart + 203 * minute, duration: 175),
            twilio("CAstranger", "+14155550123", "ringing", dayStart + 300 * minute),
            twilio("CAstranger", "+14155550123", "in-progress", dayStart + 300 * minute + 3_000),
            twilio("CAstranger", "+14155550123", "completed", dayStart + 301 * minute, duration: 57),
            cdr("pbx.1", "13900139999", "ANSWERED", billsec: 116),   // C-200's old number: deleted → unlinked
            cdr("pbx.2", "13700137000", "NO ANSWER", billsec: 0),    // a stranger, never connected: no alert
            cdr("pbx.3", "138 0013 8000", "ANSWERED", billsec: 116), // the customer via the PBX
        ]
        try await publish(chats + calls, config: config)

        // 3. Activities: 4 chats (2 linked to C-100) and 5 calls (2 linked); exactly 3 alerts.
        var activities: [String: [String: JSONValue]] = [:]
        let complete = try await waitUntil(120) {
            activities = Self.latestByKey(try await read("crm.activities.v1", partitions: 12, config: config))
            return activities.values.filter { $0["kind"] == .string("chat") }.count >= 4
                && activities["call-CAcustomer"]?["disposition"] == .string("answered")
                && activities["call-CAstranger"]?["disposition"] == .string("answered") && activities.count >= 9
        }
        #expect(complete, "activities seen: \(activities.keys.sorted())")
        let chatActivities = activities.values.filter { $0["kind"] == .string("chat") }
        #expect(chatActivities.count == 4)
        let customerChats = chatActivities.filter { $0["customer_id"] == .string("C-100") }
        #expect(customerChats.count == 2)
        #expect(customerChats.allSatisfy { $0["linked_by"] == .string("wecom_external_id") })
        #expect(Set(customerChats.compactMap { $0["message_count"]?.numberText }) == ["4", "2"], "the redelivered message counts once")
        #expect(chatActivities.filter { $0["customer_id"] == .null }.compactMap { $0["contact_external_id"]?.stringValue }.sorted() == ["wmShortStranger", "wmStranger"])
        #expect(activities["call-CAcustomer"]?["customer_id"] == .string("C-100"))
        #expect(activities["call-CAcustomer"]?["billable_seconds"] == .number("175"))
        #expect(activities["call-pbx.3"]?["customer_id"] == .string("C-100"))
        #expect(activities["call-CAstranger"]?["customer_id"] == .null, "unlinked: written as null")
        #expect(activities["call-pbx.1"]?["customer_id"] == .null)
        #expect(activities.count == 9)

        var alerts: [InputRecord] = []
        #expect(try await waitUntil(30) {
            alerts = try await read("hub.alerts.v1", partitions: 6, config: config)
            return alerts.count >= 3
        })
        let alertIDs = alerts.compactMap { $0.key.map { String(decoding: $0, as: UTF8.self) } }.sorted()
        #expect(alertIDs.count == 3, "alerts: \(alertIDs)")
        #expect(alertIDs.contains("unlinked_call-CAstranger") && alertIDs.contains("unlinked_call-pbx.1"))
        #expect(alertIDs.contains { $0.hasPrefix("unlinked_conversation-wecom-lisi-wmStranger-") })
        let conversationAlert = try #require(Self.latestByKey(alerts).first { $0.key.hasPrefix("unlinked_conversation") }?.value)
        #expect(conversationAlert["external_id"] == .string("wmStranger"))
        #expect(conversationAlert["staff_id"] == .string("lisi"))
        #expect(conversationAlert["started_at"] == .string(UTCTimestamp.format(ms: dayStart)))
        #expect(alerts.allSatisfy { $0.headers.last(named: HeaderNames.ceID) != nil })

        await app.shutdown()
        try await hub.run.value
    }
}
