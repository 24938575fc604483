import Foundation
import SynclineConnectors
import SynclineRuntime
import SynclineMapping
import SynclineStore
import Testing

@Suite("im processor: conversations, linking, alerts")
struct IMConversationTests {
    static let minute: Int64 = 60_000
    static let t0: Int64 = 1_715_650_000_000

    /// The im connector with short settings, its stages and emitter over one harness, and a movable clock.
    final class IM: @unchecked Sendable {
        let harness: ProcessorHarness
        let spec: ConnectorSpec
        let settings: IMSettings
        let pipeline: RecordPipeline
        let emitter: ConversationEmitter
        var now: Int64
        private let clockBox: ClockBox

        final class ClockBox: @unchecked Sendable { var now: Int64 = 0 }

        init(_ harness: ProcessorHarness, now: Int64 = IMConversationTests.t0) throws {
            self.harness = harness
            spec = try ProcessorHarness.spec("im")
            settings = try IMSettings(spec: spec)
            clockBox = ClockBox()
            clockBox.now = now
            self.now = now
            let box = clockBox
            pipeline = RecordPipeline(stages: [
                DecodeStage(spec: spec),
                ChatAbsorbStage(settings: settings, store: harness.store, linker: harness.linker, clock: { box.now }),
            ])
            emitter = ConversationEmitter(
                settings: settings, store: harness.store, linker: harness.linker,
                records: ChatRecords(connector: "im", mappingVersion: spec.mappingVersion, catalog: harness.catalog),
                connector: "im", logger: ProcessorHarness.logger)
        }

        func advance(to ms: Int64) {
            now = ms
            clockBox.now = ms
        }

        @discardableResult
        func send(_ text: String) throws -> RecordContext {
            try pipeline.run(ProcessorHarness.record(text, topic: "raw.im.messages.v1")).get()
        }

        /// What is due at `now`, acknowledged at once (as the brokers would).
        func tick(acknowledge: Bool = true) -> [TimedOutput] {
            let due = emitter.due(nowMs: now)
            if acknowledge { emitter.delivered(ids: due.map(\.id)) }
            return due
        }
    }

    static func wecom(_ id: String, from: String, to: String, at: Int64, text: String = "hello", room: String = "") -> String {
        #"{"msgid":"\#(id)","action":"send","from":"\#(from)","tolist":["\#(to)"],"roomid":"\#(room)","msgtime":\#(at),"msgtype":"text","text":{"content":"\#(text)"}}"#
    }

    @Test("messages within the idle gap form one conversation; a message after the gap starts a new one; each closes into ONE chat activity")
    func groupingOnIdleGaps() throws {
        let im = try IM(try ProcessorHarness())
        for (n, offset) in [0, 1, 3, 9].enumerated() {
            let context = try im.send(Self.wecom("m\(n)", from: n % 2 == 0 ? "wmGuest" : "zhangsan", to: n % 2 == 0 ? "zhangsan" : "wmGuest", at: Self.t0 + Int64(offset) * Self.minute, text: "line \(n)"))
            #expect(context.outputs.isEmpty, "absorbed messages produce nothing at once")
        }
        // 25 minutes later (after the 10 min gap): a new conversation of the same pair.
        try im.send(Self.wecom("m9", from: "zhangsan", to: "wmGuest", at: Self.t0 + 25 * Self.minute))
        let conversations = try im.harness.store.conversations(threadKey: "wecom:zhangsan|wmGuest")
        #expect(conversations.count == 2)
        #expect(conversations[0].closed && !conversations[1].closed)
        #expect(conversations[0].messageCount == 4)

        im.advance(to: Self.t0 + 26 * Self.minute)
        var outputs = im.tick().filter { $0.record.topic == "crm.activities.v1" }
        #expect(outputs.count == 1, "only the first conversation is closed")
        let first = ProcessorHarness.json(outputs[0].record)
        #expect(first["kind"] == .string("chat"))
        #expect(first["source_system"] == .string("wecom"))
        #expect(first["message_count"] == .number("4"))
        #expect(first["started_at"] == .string(UTCTimestamp.format(ms: Self.t0)))
        #expect(first["ended_at"] == .string(UTCTimestamp.format(ms: Self.t0 + 9 * Self.minute)))
        #expect(first["direction"] == .string("inbound"))
        #expect(first["staff_id"] == .string("zhangsan"))
        #expect(first["contact_external_id"] == .string("wmGuest"))
        #expect(first["participants"] == .array([.string("wmGuest"), .string("zhangsan")]))
        #expect(first["summary"]?.stringValue?.hasPrefix("wmGuest: line 0\nzhangsan: line 1") == true)
        #expect(first["customer_id"] == .null, "unlinked: written as null, as the topic documents")
        #expect(first["linked_by"] == .null)
        #expect(outputs[0].record.key == Array("chat-\(conversations[0].conversationID)".utf8))
        // Acknowledged: never offered again; the second closes after its own gap.
        #expect(im.tick().isEmpty)
        im.advance(to: Self.t0 + 36 * Self.minute)
        outputs = im.tick()
        #expect(outputs.count == 1)
        #expect(ProcessorHarness.json(outputs[0].record)["message_count"] == .number("1"))
    }

    @Test("a redelivered message never counts twice, and state survives a restart (the database reopened)")
    func redeliveryAndRestart() throws {
        let harness = try ProcessorHarness()
        var im = try IM(harness)
        try im.send(Self.wecom("r1", from: "wmGuest", to: "lisi", at: Self.t0))
        try im.send(Self.wecom("r2", from: "lisi", to: "wmGuest", at: Self.t0 + Self.minute))
        try im.send(Self.wecom("r2", from: "lisi", to: "wmGuest", at: Self.t0 + Self.minute))  // redelivered
        // Restart: new stores on the same files, new stages.
        im = try IM(try harness.reopened(), now: Self.t0 + 2 * Self.minute)
        try im.send(Self.wecom("r1", from: "wmGuest", to: "lisi", at: Self.t0))  // redelivered after the restart
        try im.send(Self.wecom("r3", from: "wmGuest", to: "lisi", at: Self.t0 + 3 * Self.minute))
        // Not acknowledged before a crash: offered again after the restart, same key and id.
        im.advance(to: Self.t0 + 20 * Self.minute)
        let before = im.tick(acknowledge: false)
        #expect(before.count == 1)
        im = try IM(try harness.reopened(), now: Self.t0 + 20 * Self.minute)
        let again = im.tick()
        #expect(again.map(\.id) == before.map(\.id))
        #expect(again.first?.record.key == before.first?.record.key)
        #expect(ProcessorHarness.json(try #require(again.first).record)["message_count"] == .number("3"))
        #expect(im.tick().isEmpty)
    }

    @Test("a late message within the gap of a closed conversation reopens it: the same activity id is emitted again with the new count")
    func lateMessageReopens() throws {
        let im = try IM(try ProcessorHarness())
        try im.send(Self.wecom("a1", from: "wmGuest", to: "lisi", at: Self.t0))
        im.advance(to: Self.t0 + 11 * Self.minute)
        let first = im.tick()
        #expect(first.count == 1)
        try im.send(Self.wecom("a2", from: "lisi", to: "wmGuest", at: Self.t0 + 5 * Self.minute))
        im.advance(to: Self.t0 + 16 * Self.minute)
        let second = im.tick()
        #expect(second.count == 1)
        #expect(second[0].record.key == first[0].record.key)
        #expect(ProcessorHarness.json(second[0].record)["message_count"] == .number("2"))
    }

    @Test("links by WeCom external id, by DingTalk id and by phone; group rooms are one conversation")
    func linkingByEachIdentifier() throws {
        let harness = try ProcessorHarness()
        try harness.customers([
            .upsert(CustomerIdentity(customerID: "CW", owner: "zhangsan", identifiers: [.init(.wecomExternalID, "wmKnown")])),
            .upsert(CustomerIdentity(customerID: "CD", identifiers: [.init(.dingtalkID, "dtUser9")])),
            .upsert(CustomerIdentity(customerID: "CP", identifiers: [.init(.phone, "+8613800138000")])),
        ])
        let im = try IM(harness)
        try im.send(Self.wecom("l1", from: "zhangsan", to: "wmKnown", at: Self.t0))
        try im.send(#"{"conversationId":"cidD","conversationType":"1","senderId":"dtUser9","createAt":\#(Self.t0),"msgtype":"text","text":{"content":"你好"}}"#)
        try im.send(#"{"conversationId":"cidD","conversationType":"1","senderStaffId":"wangwu","createAt":\#(Self.t0 + 1000),"msgtype":"text","text":{"content":"您好"}}"#)
        try im.send(#"{"msgid":"l3","action":"send","from":"wmStranger","tolist":["lisi"],"roomid":"","msgtime":\#(Self.t0),"msgtype":"text","text":{"content":"我的电话 138 0013 8000"},"mobile":"138 0013 8000"}"#)
        try im.send(Self.wecom("g1", from: "wmA", to: "zhangsan", at: Self.t0, room: "wrRoom1"))
        try im.send(Self.wecom("g2", from: "wmB", to: "lisi", at: Self.t0 + 1000, room: "wrRoom1"))
        im.advance(to: Self.t0 + 15 * Self.minute)
        let activities = im.tick().filter { $0.record.topic == "crm.activities.v1" }.map { ProcessorHarness.json($0.record) }
        #expect(activities.count == 4)
        func find(_ external: String) -> [String: JSONValue]? { activities.first { $0["contact_external_id"] == .string(external) } }
        #expect(find("wmKnown")?["customer_id"] == .string("CW"))
        #expect(find("wmKnown")?["linked_by"] == .string("wecom_external_id"))
        #expect(find("dtUser9")?["customer_id"] == .string("CD"))
        #expect(find("dtUser9")?["linked_by"] == .string("dingtalk_id"))
        #expect(find("dtUser9")?["source_system"] == .string("dingtalk"))
        #expect(find("dtUser9")?["message_count"] == .number("2"))
        #expect(find("dtUser9")?["staff_id"] == .string("wangwu"))
        #expect(find("wmStranger")?["customer_id"] == .string("CP"))
        #expect(find("wmStranger")?["linked_by"] == .string("phone"))
        let room = try #require(activities.first { $0["room_id"] == .string("wrRoom1") })
        #expect(room["message_count"] == .number("2"))
        #expect(room["participants"]?.arrayValue?.count == 4)
        // The linked chats count as contacts for the follow-up report.
        #expect(try harness.store.followUpCandidates(sinceMs: 0).isEmpty)
        try harness.store.recordInterest(customerID: "CW", kind: "lead", reference: "L1", atMs: Self.t0)
        #expect(try harness.store.followUpCandidates(sinceMs: 0).first?.lastContactKind == "chat")
    }

    @Test("direction is who wrote first: a DingTalk conversation staff started is outbound, one the contact started inbound")
    func dingTalkDirection() throws {
        let im = try IM(try ProcessorHarness())
        try im.send(#"{"conversationId":"cidStaff","conversationType":"1","senderStaffId":"wangwu","createAt":\#(Self.t0),"msgtype":"text","text":{"content":"您好"}}"#)
        try im.send(#"{"conversationId":"cidStaff","conversationType":"1","senderId":"dtGuest","createAt":\#(Self.t0 + 1000),"msgtype":"text","text":{"content":"你好"}}"#)
        try im.send(#"{"conversationId":"cidGuest","conversationType":"1","senderId":"dtOther","createAt":\#(Self.t0),"msgtype":"text","text":{"content":"在吗"}}"#)
        try im.send(#"{"conversationId":"cidGuest","conversationType":"1","senderStaffId":"wangwu","createAt":\#(Self.t0 + 1000),"msgtype":"text","text":{"content":"在"}}"#)
        try im.send(#"{"conversationId":"cidInternal","conversationType":"1","senderStaffId":"wangwu","createAt":\#(Self.t0),"msgtype":"text","text":{"content":"开会"}}"#)
        // WeCom: staff first, the contact answers — outbound too.
        try im.send(Self.wecom("d1", from: "zhangsan", to: "wmGuest", at: Self.t0))
        try im.send(Self.wecom("d2", from: "wmGuest", to: "zhangsan", at: Self.t0 + 1000))
        im.advance(to: Self.t0 + 15 * Self.minute)
        let activities = im.tick().map { ProcessorHarness.json($0.record) }
        func direction(_ conversation: String) -> JSONValue? {
            activities.first { $0["conversation_id"]?.stringValue?.hasPrefix(conversation) == true }?["direction"]
        }
        #expect(direction("dingtalk-cidStaff") == .string("outbound"))
        #expect(direction("dingtalk-cidGuest") == .string("inbound"))
        #expect(direction("dingtalk-cidInternal") == .string("internal"))
        #expect(direction("wecom-zhangsan-wmGuest") == .string("outbound"))
    }

    @Test("a chat activity carries lineage: input topic, its latest message's partition and offset, and every partition's offset range")
    func chatActivityLineage() throws {
        let im = try IM(try ProcessorHarness())
        let inputs: [(Int32, Int64, Int64)] = [(3, 17, 0), (5, 8, 1), (3, 42, 2), (3, 20, 3)]
        for (n, (partition, offset, minute)) in inputs.enumerated() {
            var record = ProcessorHarness.record(
                Self.wecom("lin\(n)", from: "wmTrace", to: "zhangsan", at: Self.t0 + minute * Self.minute), topic: "raw.im.messages.v1",
                offset: offset)
            record.partition = partition
            _ = try im.pipeline.run(record).get()
        }
        // A message re-keyed through the repartition topic names the raw record it came from.
        var rekeyed = ProcessorHarness.record(
            Self.wecom("lin9", from: "zhangsan", to: "wmTrace", at: Self.t0 + 4 * Self.minute), topic: "hub.repartition.im.v1", offset: 3,
            headers: [
                RecordHeader(HeaderNames.sourceTopic, "raw.im.messages.v1"), RecordHeader(HeaderNames.sourcePartition, "5"),
                RecordHeader(HeaderNames.sourceOffset, "2"),
            ])
        rekeyed.partition = 0
        _ = try im.pipeline.run(rekeyed).get()
        im.advance(to: Self.t0 + 20 * Self.minute)
        let activity = try #require(im.tick().first { $0.record.topic == "crm.activities.v1" }).record
        #expect(ProcessorHarness.json(activity)["message_count"] == .number("5"))
        #expect(activity.headers.last(named: HeaderNames.sourceTopic)?.text == "raw.im.messages.v1")
        #expect(activity.headers.last(named: HeaderNames.sourcePartition)?.text == "5", "the latest message by time")
        #expect(activity.headers.last(named: HeaderNames.sourceOffset)?.text == "2")
        #expect(activity.headers.last(named: HeaderNames.sourceOffsets)?.text == "3:17-42,5:2-8")
        #expect(SourceOffsetRanges(text: "3:17-42,5:2-8,x:1-2,4:9-1").text == "3:17-42,5:2-8")
    }

    @Test("an unlinked conversation with an external contact over 5 minutes raises ONE alert, even across restarts; linked or short ones none")
    func unlinkedAlertOnce() throws {
        let harness = try ProcessorHarness()
        try harness.customers([.upsert(CustomerIdentity(customerID: "CW", identifiers: [.init(.wecomExternalID, "wmKnown")]))])
        var im = try IM(harness)
        for n in 0..<4 {
            try im.send(Self.wecom("s\(n)", from: "wmStranger", to: "zhaoliu", at: Self.t0 + Int64(n * 2) * Self.minute))  // 6 min long
            try im.send(Self.wecom("k\(n)", from: "wmKnown", to: "zhaoliu", at: Self.t0 + Int64(n * 2) * Self.minute))
        }
        try im.send(Self.wecom("short", from: "wmShort", to: "zhaoliu", at: Self.t0))
        try im.send(Self.wecom("int1", from: "zhaoliu", to: "lisi", at: Self.t0))
        try im.send(Self.wecom("int2", from: "lisi", to: "zhaoliu", at: Self.t0 + 8 * Self.minute))
        im.advance(to: Self.t0 + 7 * Self.minute)
        var alerts = im.tick(acknowledge: false).filter { $0.record.topic == "hub.alerts.v1" }
        #expect(alerts.count == 1, "raised while the conversation is still open")
        let alert = ProcessorHarness.json(try #require(alerts.first).record)
        #expect(alert["kind"] == .string("unlinked_conversation"))
        #expect(alert["external_id"] == .string("wmStranger"))
        #expect(alert["staff_id"] == .string("zhaoliu"))
        #expect(alert["message_count"] == .number("4"))
        #expect(alert["started_at"] == .string(UTCTimestamp.format(ms: Self.t0)))
        // Crash before the acknowledgement: raised again (same id) after the restart; then never again.
        im = try IM(try harness.reopened(), now: Self.t0 + 7 * Self.minute)
        let again = im.tick().filter { $0.record.topic == "hub.alerts.v1" }
        #expect(again.map(\.id) == alerts.map(\.id))
        try im.send(Self.wecom("s9", from: "wmStranger", to: "zhaoliu", at: Self.t0 + 9 * Self.minute))
        im.advance(to: Self.t0 + 30 * Self.minute)
        alerts = im.tick().filter { $0.record.topic == "hub.alerts.v1" }
        #expect(alerts.isEmpty)
        im = try IM(try harness.reopened(), now: Self.t0 + 40 * Self.minute)
        #expect(im.tick().isEmpty)
    }

    @Test("the shipped samples: valid ones are absorbed, recalls ignored, invalid ones rejected with a code")
    func samples() throws {
        let im = try IM(try ProcessorHarness())
        let folder = ProcessorHarness.repositoryRoot.appendingPathComponent("connectors/samples/im")
        var absorbed = 0
        for name in ["wecom-text.json", "wecom-room.json", "dingtalk-text.json"] {
            try im.send(try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8))
            absorbed += 1
        }
        for line in try String(contentsOf: folder.appendingPathComponent("day.jsonl"), encoding: .utf8).split(separator: "\n") {
            try im.send(String(line))
        }
        im.advance(to: Self.t0 + 60 * Self.minute)
        let activities = im.tick().filter { $0.record.topic == "crm.activities.v1" }
        #expect(activities.count == 5)
        let day = try #require(activities.map { ProcessorHarness.json($0.record) }.first { $0["contact_external_id"] == .string("wmCustomerA") })
        #expect(day["message_count"] == .number("3"), "the recall is not a message")
        #expect(day["summary"]?.stringValue?.contains("[image]") == true)
        let expected = ["not-json.json": "invalid_json", "unknown-shape.json": "no_route", "bad-msgtime.json": "invalid_timestamp"]
        for (name, code) in expected {
            let text = try String(contentsOf: folder.appendingPathComponent("invalid/\(name)"), encoding: .utf8)
            let result = im.pipeline.run(ProcessorHarness.record(text, topic: "raw.im.messages.v1"))
            guard case .failure(let rejection) = result else {
                Issue.record("\(name) was accepted")
                continue
            }
            #expect(rejection.code == code, "\(name)")
        }
    }

    @Test("processor options: bad values and unknown keys are reported; the registry builds decode + im and one emitter")
    func options() throws {
        #expect(throws: ConfigProblems.self) { try IMSettings(spec: try ProcessorHarness.spec("im", options: ["idle_gap": "soon"])) }
        let spec = try ProcessorHarness.spec("im", options: ["idle_gap": "2s", "unlinked_alert_after": "3s"])
        let settings = try IMSettings(spec: spec)
        #expect(settings.idleGapMs == 2_000 && settings.quietMs == 30_000 && settings.unlinkedAlertAfterMs == 3_000)
        #expect(settings.isExternal("wmX") && settings.isExternal("woY") && !settings.isExternal("zhangsan"))
        let harness = try ProcessorHarness()
        let assembly = ConnectorAssembly(catalog: harness.catalog, identity: harness.identity, activities: harness.store, logger: ProcessorHarness.logger)
        let parts = try assembly.build(spec).parts
        #expect(parts.pipeline.stages.map(\.name) == ["decode", "im"])
        #expect(parts.emitters.count == 1)
    }
}
