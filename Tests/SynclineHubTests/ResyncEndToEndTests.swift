import Foundation
import Logging
import Synchronization
import SynclineMapping
import SynclineKafka
import Testing

/// `syncline resync` on the embedded cluster (which implements neither ListOffsets by time nor
/// DescribeGroups): the dry run counts per partition what would be processed again, the rewind
/// moves the committed offsets to the first record at or after the time, and an active group is refused.
@Suite("syncline resync over the embedded cluster", .serialized)
struct ResyncEndToEndTests {
    @Test("after a run committed everything: --dry-run counts the second batch; resync rewinds to it; a live member makes it refuse")
    func rewindAndRefuse() async throws {
        let project = try ProjectFixture(connectors: ["mirror.yaml": ProjectFixture.mirror])
        let cluster = try await EmbeddedKafkaCluster.start(brokers: 1)
        try await cluster.createTopics(try TopicCatalog.load(directory: project.root.appendingPathComponent("topics")).topics.map(\.kafkaRequest))
        let config = KafkaConfig(bootstrapServers: cluster.bootstrapServers)
        let (all, boundary) = try await Self.publishTwoBatches(config: config)
        #expect(all.count == 420)
        let expected = Dictionary(grouping: all.filter { ($0.timestampMs ?? 0) >= boundary }, by: \.partition).mapValues { $0.map(\.offset).min() ?? 0 }
        #expect(expected.values.count > 3)

        let base = ["--root", project.root.path, "--state", project.state.path]
        let run = try HubProcess([
            "run", "--connector", project.root.appendingPathComponent("connectors/mirror.yaml").path, "--brokers", cluster.bootstrapServers,
            "--group", "syncline.mirror", "--exit-after", "420", "--log-level", "warning",
        ] + base)
        #expect(try await run.waitForExit(timeout: .seconds(90)) == 0, "stderr: \(run.errors.suffix(2000))")

        let since = UTCTimestamp.format(ms: boundary)
        let resync = ["resync", "--connector", "mirror", "--since", since, "--brokers", cluster.bootstrapServers, "--admin", "127.0.0.1:1"] + base
        let dry = try HubProcess(resync + ["--dry-run"])
        #expect(try await dry.waitForExit(timeout: .seconds(120)) == 0, "stdout: \(dry.output) stderr: \(dry.errors.suffix(2000))")
        #expect(dry.output.contains("total: 120 record(s) processed again"), "\(dry.output)")
        #expect(dry.output.contains { $0.contains("search (") }, "the mock answers no ListOffsets by time: found by searching")
        #expect(try await committed(config) == committedAtEnd(all), "a dry run commits nothing")

        // A live member of the group: resync joins, gets only some partitions, and refuses.
        let flags = MemberFlags()
        let member = Task { try await BlockingThread.run { try Self.holdMembership(config: config, flags: flags) } }
        let joinDeadline = ContinuousClock.now + .seconds(30)
        while !flags.joined.load(ordering: .acquiring) && ContinuousClock.now < joinDeadline { try await Task.sleep(for: .milliseconds(20)) }
        let joined = flags.joined.load(ordering: .acquiring)
        #expect(joined, "the test's member got its partitions")
        let refused = try HubProcess(resync)
        #expect(try await refused.waitForExit(timeout: .seconds(120)) == 1, "stdout: \(refused.output) stderr: \(refused.errors.suffix(2000))")
        #expect(refused.errors.contains("group syncline.mirror has other members"), "\(refused.errors.suffix(2000))")
        flags.stop.store(true, ordering: .releasing)
        _ = try await member.value
        #expect(try await committed(config) == committedAtEnd(all), "a refused resync commits nothing")

        let done = try HubProcess(resync)
        #expect(try await done.waitForExit(timeout: .seconds(120)) == 0, "stdout: \(done.output) stderr: \(done.errors.suffix(2000))")
        #expect(done.output.contains("rewound syncline.mirror: 12 of 12 partitions confirmed by the coordinator; 120 record(s) will be processed again when the connector starts"))
        let after = try await committed(config)
        for partition in Int32(0)..<12 {
            let end = committedAtEnd(all)[partition] ?? 0
            #expect(after[partition] == (expected[partition] ?? end), "partition \(partition)")
        }
    }

    /// 300 raw records, then — once the clock is past every one of their broker timestamps — 120
    /// more; returns all 420 as read back and `boundary`, a time between the two batches.
    static func publishTwoBatches(config: KafkaConfig) async throws -> (all: [InputRecord], boundary: Int64) {
        let raw = TopicNames.rawMarketing
        func batch(_ name: String, _ count: Int) -> [OutputRecord] {
            (0..<count).map { OutputRecord(topic: raw, key: Array("\(name)-\($0)".utf8), value: Array("{\"n\":\($0)}".utf8)) }
        }
        try await HubTestSupport.publish(batch("first", 300), config: config)
        let first = try await HubTestSupport.read(raw, partitions: 12, config: config)
        let boundary = (first.compactMap(\.timestampMs).max() ?? 0) + 1
        // The broker stamps the second batch after `boundary` only once the clock has passed it.
        while Int64(Date().timeIntervalSince1970 * 1000) <= boundary { try await Task.sleep(for: .milliseconds(2)) }
        try await HubTestSupport.publish(batch("second", 120), config: config)
        return (try await HubTestSupport.read(raw, partitions: 12, config: config), boundary)
    }

    /// The committed offset of every partition that has records: its end offset.
    func committedAtEnd(_ records: [InputRecord]) -> [Int32: Int64] {
        Dictionary(grouping: records, by: \.partition).mapValues { ($0.map(\.offset).max() ?? -1) + 1 }
    }

    func committed(_ config: KafkaConfig) async throws -> [Int32: Int64] {
        try await BlockingThread.run {
            let offsets = try KafkaGroupRewinder(config: config, logger: HubTestSupport.logger)
                .committed(group: "syncline.mirror", partitions: (0..<12).map { TopicPartition(topic: TopicNames.rawMarketing, partition: $0) })
            return Dictionary(offsets.compactMap { tp in tp.offset.map { (tp.partition, $0) } }, uniquingKeysWith: { a, _ in a })
        }
    }

    /// A group member that keeps polling (so it takes part in every rebalance) until told to stop;
    /// `joined` is set once the coordinator has given it partitions.
    static func holdMembership(config: KafkaConfig, flags: MemberFlags) throws {
        let consumer = try KafkaConsumer(config: config, groupID: "syncline.mirror", logger: HubTestSupport.logger) { event in
            if case .assigned(let partitions) = event, !partitions.isEmpty { flags.joined.store(true, ordering: .releasing) }
            return .assignPaused
        }
        defer { consumer.close() }
        try consumer.subscribe([TopicNames.rawMarketing])
        while !flags.stop.load(ordering: .acquiring) { _ = consumer.poll(maxRecords: 10, timeoutMs: 50) }
    }
}

/// What the test and its group member tell each other.
final class MemberFlags: Sendable {
    let joined = Atomic<Bool>(false)
    let stop = Atomic<Bool>(false)
}
