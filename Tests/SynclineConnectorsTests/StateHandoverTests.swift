import Foundation
import SynclineConnectors
import SynclineMapping
import SynclineKafka
import SynclineRuntime
import SynclineStore
import Testing

/// State that follows its partition: the telephony connector's stateful loop on the embedded
/// cluster over TCP, SQLite on real files. One instance absorbs the first statuses of every call
/// and is killed; a replacement with an empty state directory restores the state from the
/// changelog and finishes the calls as if nothing had happened.
@Suite("state in Kafka: changelog outputs gate commits, a fresh instance restores its partitions")
struct StateHandoverTests {
    static let calls = 12
    static let partitions = 4
    static let repartition = TopicNames.repartition(connector: "telephony")
    static let changelog = TopicNames.state(connector: "telephony")

    static func keyed(_ sid: String, _ status: String, seconds: Int, duration: Int? = nil) -> OutputRecord {
        let body = TelephonyCallTests.twilio(sid, status, from: "+1415555\(sid.suffix(4))", seconds: seconds, duration: duration)
        return OutputRecord(topic: repartition, key: Array("twilio:\(sid)".utf8), value: Array(body.utf8))
    }

    static func sid(_ n: Int) -> String { "CA\(String(format: "%04d", 1000 + n))" }

    /// The telephony stateful loop (as the hub wires it) over its own state directory.
    static func instance(_ harness: ProcessorHarness, config: KafkaConfig, exitAfter: Int? = nil) throws -> ConnectorRuntime {
        let assembly = ConnectorAssembly(
            catalog: harness.catalog, identity: harness.identity, activities: harness.store, logger: ProcessorHarness.logger)
        let spec = try ProcessorHarness.spec("telephony")
        let parts = try assembly.build(spec, kafka: config).parts
        var stateful = spec
        stateful.inputTopics = [try #require(parts.statefulInput)]
        // The killed member's partitions move after the session timeout: 4 s keeps the test short.
        var options = ConnectorRuntime.Options(kafka: config.with(["session.timeout.ms": "4000"]), groupID: "g-state", exitAfter: exitAfter)
        options.restorer = parts.restorer
        return ConnectorRuntime(spec: stateful, pipeline: parts.pipeline, options: options, logger: TestKafka.logger)
    }

    @Test("a killed instance's calls continue on a fresh one with an empty disk: started_at, duration and ONE alert per call")
    func handover() async throws {
        let cluster = try await EmbeddedKafkaCluster.start(brokers: 1)
        for (topic, count) in [
            (Self.repartition, Self.partitions), (Self.changelog, Self.partitions), (TopicNames.activities, 4),
            (TopicNames.alerts, 2), (TopicNames.dlq(connector: "telephony"), 1), (TopicNames.latency, 1),
        ] {
            try await cluster.createTopic(topic, partitions: count)
        }
        let config = KafkaConfig(bootstrapServers: cluster.bootstrapServers)
        // First half of every call: ringing, then answered (the alert is raised here: unknown numbers).
        let firstHalf = (0..<Self.calls).flatMap { n in
            [Self.keyed(Self.sid(n), "ringing", seconds: n), Self.keyed(Self.sid(n), "in-progress", seconds: n + 5)]
        }
        try await TestKafka.publish(firstHalf, config: config)

        let first = try Self.instance(try ProcessorHarness(), config: config)
        let firstRun = Task { try await first.run() }
        // Every input committed: its activity, alert and state change were all acknowledged first.
        try await TestKafka.when("the first instance committed the first half", { first.stats.snapshot.committed >= firstHalf.count }) {
            first.crash()
        }
        _ = try await firstRun.value
        let restoredFrom = try await TestKafka.readAll(Self.changelog, partitions: Self.partitions, config: config)
        #expect(restoredFrom.count == firstHalf.count, "one state change per absorbed status")

        let secondHalf = (0..<Self.calls).map { n in Self.keyed(Self.sid(n), "completed", seconds: n + 65, duration: 58) }
        try await TestKafka.publish(secondHalf, config: config)
        let second = try Self.instance(try ProcessorHarness(), config: config, exitAfter: secondHalf.count)
        let summary = try await second.run()
        #expect(summary.recordsIn == secondHalf.count, "the first half was committed, only the second is read")
        let restore = second.stateRestore
        #expect(restore.isCaughtUp && restore.restored == Self.partitions)
        #expect(restore.latest.map(\.keys).reduce(0, +) == Self.calls, "every call's state restored: \(restore.latest)")
        print("state handover: restored \(restore.latest.map(\.records).reduce(0, +)) changelog records in "
            + String(format: "%.3f s", restore.latest.map(\.seconds).reduce(0, +)) + " over \(Self.partitions) partitions")

        let inputs = try await TestKafka.readAll(Self.repartition, partitions: Self.partitions, config: config)
        let changes = try await TestKafka.readAll(Self.changelog, partitions: Self.partitions, config: config)
        // A call's state lives on the changelog partition with its input partition's number.
        let inputPartition = Dictionary(inputs.map { (String(decoding: $0.key ?? [], as: UTF8.self), $0.partition) }) { a, _ in a }
        for change in changes {
            let key = String(decoding: change.key ?? [], as: UTF8.self)
            #expect(inputPartition[String(key.dropFirst("call:".count))] == change.partition, "\(key)")
        }
        let activities = try await TestKafka.readAll(TopicNames.activities, partitions: 4, config: config)
        var latest: [String: [String: JSONValue]] = [:]
        for record in activities {
            let value = (try? JSONParser.parse(record.value ?? []).objectValue) ?? [:]
            if let id = value["activity_id"]?.stringValue { latest[id] = value }
        }
        #expect(latest.count == Self.calls)
        for n in 0..<Self.calls {
            let call = try #require(latest["call-\(Self.sid(n))"])
            #expect(call["disposition"] == .string("answered"))
            #expect(call["started_at"] == .string(UTCTimestamp.format(ms: 1_715_673_600_000 + Int64(n) * 1000)), "the ringing status the first instance read")
            #expect(call["answered_at"] == .string(UTCTimestamp.format(ms: 1_715_673_600_000 + Int64(n + 5) * 1000)))
            #expect(call["duration_seconds"] == .number("58"))
            #expect(call["customer_id"] == .null)
        }
        let alerts = try await TestKafka.readAll(TopicNames.alerts, partitions: 2, config: config)
        let alertIDs = alerts.map { String(decoding: $0.key ?? [], as: UTF8.self) }
        #expect(alerts.count == Self.calls, "one alert per call, none raised again by the new owner")
        #expect(Set(alertIDs) == Set((0..<Self.calls).map { "unlinked_call-\(Self.sid($0))" }))
        let offsets = try await TestKafka.committedAndEnds(group: "g-state", topic: Self.repartition, partitions: Self.partitions, config: config)
        #expect(offsets.committed == offsets.ends)
    }

    @Test("restore: the last version of each key wins, a tombstone deletes its key, other partitions keep their rows; release drops the partition")
    func restoreSemantics() async throws {
        let cluster = try await EmbeddedKafkaCluster.start(brokers: 1)
        let changelog = TopicNames.state(connector: "im")
        try await cluster.createTopic(changelog, partitions: 2)
        let config = KafkaConfig(bootstrapServers: cluster.bootstrapServers)
        func state(_ id: String, count: Int, partition: Int32) throws -> OutputRecord {
            let conversation = ChatConversation(
                conversationID: id, threadKey: "wecom:s|wm\(id)", sourceSystem: "wecom", externalID: "wm\(id)", startedMs: 1_000,
                lastMs: 2_000, lastIngestMs: 3_000, messageCount: count, version: count, statePartition: partition)
            let value = try ChatConversationState(conversation: conversation, messageIDs: (0..<count).map { "wecom:\(id)-\($0)" }).encoded()
            return OutputRecord(topic: changelog, key: Array(ChatConversationState.key(id).utf8), value: value, partition: partition)
        }
        try await TestKafka.publish([
            try state("a", count: 1, partition: 0), try state("b", count: 1, partition: 0), try state("a", count: 2, partition: 0),
            try state("c", count: 5, partition: 1),
            OutputRecord(topic: changelog, key: Array(ChatConversationState.key("b").utf8), value: nil, partition: 0),
            try state("a", count: 3, partition: 0),
        ], config: config)
        let harness = try ProcessorHarness()
        // A stale row of partition 0 from an earlier owner, and one of partition 1 (not restored here).
        _ = try harness.store.absorbChatMessage(messageID: "wecom:stale", threadKey: "wecom:s|wmStale", atMs: 1, statePartition: 0) { _, _ in
            [ChatConversation(conversationID: "stale", threadKey: "wecom:s|wmStale", sourceSystem: "wecom", startedMs: 1, lastMs: 1, lastIngestMs: 1)]
        }
        let assembly = ConnectorAssembly(
            catalog: harness.catalog, identity: harness.identity, activities: harness.store, logger: ProcessorHarness.logger)
        let spec = try ProcessorHarness.spec("im")
        let restorer = try #require(try assembly.build(spec, kafka: config).parts.restorer)
        #expect(try harness.store.conversation("stale") == nil, "a new run starts with an empty cache")
        _ = try harness.store.absorbChatMessage(messageID: "wecom:stale", threadKey: "wecom:s|wmStale", atMs: 1, statePartition: 0) { _, _ in
            [ChatConversation(conversationID: "stale", threadKey: "wecom:s|wmStale", sourceSystem: "wecom", startedMs: 1, lastMs: 1, lastIngestMs: 1)]
        }
        let input = TopicNames.repartition(connector: "im")
        let done = try await BlockingThread.run { try restorer.restore(partitions: [TopicPartition(topic: input, partition: 0)]) }
        #expect(done.map(\.records) == [5] && done.map(\.keys) == [1])
        #expect(try harness.store.conversation("a")?.messageCount == 3, "the last version wins")
        #expect(try harness.store.conversation("b") == nil, "the tombstone deleted b")
        #expect(try harness.store.conversation("stale") == nil, "the partition's rows were replaced")
        #expect(try harness.store.conversation("c") == nil, "partition 1 was not restored")
        #expect(try harness.store.conversationState("a")?.messageIDs.count == 3, "message ids restored: redeliveries count once")
        let again = try harness.store.absorbChatMessage(messageID: "wecom:a-1", threadKey: "wecom:s|wma", atMs: 2_000, statePartition: 0) { _, _ in [] }
        #expect(again == nil, "a restored message id is recognised")
        _ = try await BlockingThread.run { try restorer.restore(partitions: [TopicPartition(topic: input, partition: 1)]) }
        #expect(try harness.store.conversation("c")?.messageCount == 5)
        restorer.release(partitions: [TopicPartition(topic: input, partition: 0)])
        #expect(try harness.store.conversation("a") == nil, "released with its partition")
        #expect(try harness.store.conversation("c") != nil)
    }
}
