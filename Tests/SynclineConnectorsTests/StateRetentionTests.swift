import Foundation
import SynclineConnectors
import SynclineMapping
import SynclineRuntime
import SynclineStore
import Testing

/// State kept in Kafka does not grow forever: what is done and untouched for `state_retention` is
/// deleted locally and tombstoned in the changelog, on the partition it lived on.
@Suite("state retention: finished conversations and calls become changelog tombstones")
struct StateRetentionTests {
    static let hour: Int64 = 3_600_000
    static let t0: Int64 = 1_715_650_000_000

    final class Clock: @unchecked Sendable { var now: Int64 = StateRetentionTests.t0 }

    @Test("an emitted conversation unfed for state_retention: tombstone on its partition, gone from the cache; state changes carry the partition")
    func conversationForgotten() throws {
        let harness = try ProcessorHarness()
        let spec = try ProcessorHarness.spec("im", options: ["state_retention": "1h", "close_quiet": "1s"])
        let settings = try IMSettings(spec: spec)
        let clock = Clock()
        let changelog = TopicNames.state(connector: "im")
        let pipeline = RecordPipeline(stages: [
            DecodeStage(spec: spec),
            ChatAbsorbStage(settings: settings, store: harness.store, linker: harness.linker, changelog: changelog, clock: { clock.now }),
        ])
        let emitter = ConversationEmitter(
            settings: settings, store: harness.store, linker: harness.linker,
            records: ChatRecords(connector: "im", mappingVersion: spec.mappingVersion, catalog: harness.catalog), connector: "im",
            changelog: changelog, logger: ProcessorHarness.logger)
        for (n, at) in [Self.t0 - 30 * 60_000, Self.t0 - 29 * 60_000].enumerated() {
            var record = ProcessorHarness.record(IMConversationTests.wecom("ret\(n)", from: "wmOld", to: "zhangsan", at: at), topic: "hub.repartition.im.v1")
            record.partition = 7
            let outputs = try pipeline.run(record).get().outputs
            #expect(outputs.map(\.topic) == [changelog] && outputs.map(\.partition) == [7], "one state change, to the input's partition")
        }
        clock.now += 2_000
        let closing = emitter.due(nowMs: clock.now)
        #expect(closing.map(\.record.topic).sorted() == ["crm.activities.v1", changelog])
        emitter.delivered(ids: closing.map(\.id))
        let emitted = emitter.due(nowMs: clock.now)
        #expect(emitted.map(\.record.topic) == [changelog], "the acknowledged emission is a state change too")
        #expect(emitted.first?.record.partition == 7)
        #expect(emitter.due(nowMs: clock.now + Self.hour - 10_000).isEmpty, "not yet past the retention")
        let forgotten = emitter.due(nowMs: clock.now + Self.hour)
        #expect(forgotten.count == 1)
        let tombstone = try #require(forgotten.first?.record)
        #expect(tombstone.topic == changelog && tombstone.value == nil && tombstone.partition == 7)
        #expect(String(decoding: tombstone.key ?? [], as: UTF8.self).hasPrefix("conversation:wecom-zhangsan-wmOld-"))
        #expect(try harness.store.conversations(threadKey: "wecom:zhangsan|wmOld").isEmpty)
    }

    @Test("a call no report touched for state_retention: tombstone on its partition, gone from the cache")
    func callForgotten() throws {
        let harness = try ProcessorHarness()
        let settings = try TelephonySettings(spec: try ProcessorHarness.spec("telephony", options: ["state_retention": "1h"]))
        let clock = Clock()
        let changelog = TopicNames.state(connector: "telephony")
        let stage = CallStage(
            settings: settings, store: harness.store, linker: harness.linker, catalog: harness.catalog, changelog: changelog,
            clock: { clock.now })
        let pipeline = RecordPipeline(stages: [CallPayloadDecodeStage(spec: try ProcessorHarness.spec("telephony")), stage])
        var record = ProcessorHarness.record(TelephonyCallTests.twilio("CAold", "ringing", seconds: 0), topic: "hub.repartition.telephony.v1")
        record.partition = 5
        let outputs = try pipeline.run(record).get().outputs
        #expect(outputs.map(\.topic) == ["crm.activities.v1", changelog])
        #expect(outputs.last?.partition == 5 && outputs.last?.key == Array("call:twilio:CAold".utf8))
        let sweeper = CallStateSweeper(store: harness.store, changelog: changelog, retentionMs: settings.stateRetentionMs, logger: ProcessorHarness.logger)
        #expect(sweeper.due(nowMs: clock.now + Self.hour - 1).isEmpty)
        let forgotten = sweeper.due(nowMs: clock.now + Self.hour + 1)
        #expect(forgotten.map(\.record.value) == [nil] && forgotten.map(\.record.partition) == [5])
        #expect(try harness.store.call("twilio:CAold") == nil)
    }
}
