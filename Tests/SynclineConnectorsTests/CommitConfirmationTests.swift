import Foundation
import SynclineConnectors
import SynclineMapping
import SynclineKafka
import SynclineRuntime
import Testing

@Suite("Connector runtime: only offsets the brokers confirmed count as committed; input the broker deleted is accounted for", .serialized)
struct CommitConfirmationTests {
    @Test("commits the group coordinator refuses are counted as failures, never as committed, and are sent again until confirmed")
    func refusedCommitsAreNotCounted() async throws {
        let cluster = try await EmbeddedKafkaCluster.start(brokers: 1)
        try await cluster.createTopic("raw.test.commit.v1", partitions: 2)
        try await cluster.createTopic("crm.commit.v1", partitions: 2)
        let config = KafkaConfig(bootstrapServers: cluster.bootstrapServers)
        let count = 500
        try await TestKafka.publish(TestKafka.keyedRecords(topic: "raw.test.commit.v1", count: count, keys: 10), config: config)
        // Every commit is refused (a permanent per-partition error librdkafka does not retry itself).
        try cluster.failNextRequests(.offsetCommit, with: Array(repeating: "OFFSET_METADATA_TOO_LARGE", count: 10_000))

        let spec = TestKafka.routeConnector(
            name: "commit", input: "raw.test.commit.v1", output: "crm.commit.v1",
            tuning: RuntimeTuning(batchSize: 100, commitIntervalMs: 20))
        let runtime = try TestKafka.runtime(spec, config: config, group: "g-commit")
        let run = Task { try await runtime.run() }
        try await TestKafka.waitUntil("every record handled and several commits refused") {
            runtime.stats.snapshot.handled == count && runtime.stats.snapshot.commitFailures >= 5
        }
        #expect(runtime.stats.snapshot.committed == 0, "refused commits must not count as committed")
        let refused = try await TestKafka.committedAndEnds(group: "g-commit", topic: "raw.test.commit.v1", partitions: 2, config: config)
        #expect(refused.committed.isEmpty, "the coordinator stored nothing: \(refused.committed)")

        // The coordinator accepts again: the same offsets are sent again and now count.
        cluster.clearRequestErrors(.offsetCommit)
        try await TestKafka.waitUntil("the refused offsets are committed once the coordinator accepts them") {
            runtime.stats.snapshot.committed == count
        }
        runtime.requestStop()
        let summary = try await run.value
        #expect(summary.committed == count)
        let offsets = try await TestKafka.committedAndEnds(group: "g-commit", topic: "raw.test.commit.v1", partitions: 2, config: config)
        #expect(offsets.committed == offsets.ends)
    }

    @Test("input the broker deleted while the connector was stopped (the 5 MiB cap) is counted, logged and alerted as input_expired")
    func expiredInputIsAccounted() async throws {
        let cluster = try await EmbeddedKafkaCluster.start(brokers: 1)
        try await cluster.createTopic("raw.test.expire.v1", partitions: 1)
        try await cluster.createTopic("crm.expire.v1", partitions: 1)
        try await cluster.createTopic(TopicNames.alerts, partitions: 1)
        let config = KafkaConfig(bootstrapServers: cluster.bootstrapServers)
        let spec = TestKafka.routeConnector(name: "expire", input: "raw.test.expire.v1", output: "crm.expire.v1")

        // First run: 100 records read and committed.
        try await TestKafka.publish(TestKafka.keyedRecords(topic: "raw.test.expire.v1", count: 100, keys: 5), config: config)
        let first = try TestKafka.runtime(spec, config: config, group: "g-expire", exitAfter: 100)
        #expect(try await first.run().committed == 100)

        // While it is stopped, ~8 MiB more arrive: the embedded broker keeps 5 MiB per partition and
        // deletes the oldest records, including unread ones right after offset 100.
        // Incompressible bytes: the broker counts stored (lz4-compressed) bytes against its cap.
        var seed: UInt64 = 0x9E37_79B9_7F4A_7C15
        let filler = (0..<800).map { index in
            let value = (0..<10_000).map { _ -> UInt8 in
                seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                return UInt8(truncatingIfNeeded: seed >> 56)
            }
            return OutputRecord(
                topic: "raw.test.expire.v1", key: Array("f\(index)".utf8), value: value, headers: [RecordHeader("ce_id", "fill-\(index)")])
        }
        for chunk in stride(from: 0, to: filler.count, by: 50) {
            try await TestKafka.publish(Array(filler[chunk..<min(chunk + 50, filler.count)]), config: config)
        }
        let marks = try await BlockingThread.run {
            let consumer = try KafkaConsumer(config: config, groupID: "g-marks", logger: TestKafka.logger)
            defer { consumer.close() }
            return try consumer.watermarks(topic: "raw.test.expire.v1", partition: 0)
        }
        try #require(marks.low > 100, "the broker must have deleted unread records for this test (log starts at \(marks.low))")
        let remaining = Int(marks.high - marks.low)

        let second = try TestKafka.runtime(spec, config: config, group: "g-expire", exitAfter: remaining)
        let summary = try await second.run()
        #expect(summary.recordsIn == remaining)
        #expect(second.stats.snapshot.expired == Int(marks.low - 100), "every deleted unread offset is counted")

        let alerts = try await TestKafka.readAll(TopicNames.alerts, partitions: 1, config: config)
        let alert = try #require(alerts.first { String(decoding: $0.value ?? [], as: UTF8.self).contains("input_expired") })
        let document = try JSONParser.parse(alert.value ?? [])
        #expect(document["kind"]?.stringValue == "input_expired")
        #expect(document["source_topic"]?.stringValue == "raw.test.expire.v1")
        #expect(document["first_offset"]?.numberText == "100")
        #expect(document["last_offset"]?.numberText == String(marks.low - 1))
        #expect(document["record_count"]?.numberText == String(marks.low - 100))
        #expect(alerts.count == 1, "one alert for one run of deleted offsets")
    }
}
