import Foundation
import SynclineConnectors
import SynclineMapping
import SynclineKafka
import SynclineRuntime
import Testing

@Suite("Connector runtime: at-least-once route connector over the embedded cluster", .serialized)
struct RouteConnectorTests {
    @Test("100,000 records through a route connector: each exactly once, order per key kept, commits reach the end offsets")
    func hundredThousand() async throws {
        let cluster = try await EmbeddedKafkaCluster.start(brokers: 1)
        try await cluster.createTopic("raw.test.events.v1", partitions: 8)
        try await cluster.createTopic("crm.test.v1", partitions: 12)
        try await cluster.createTopic("hub.dlq.route.v1", partitions: 2)
        let config = KafkaConfig(bootstrapServers: cluster.bootstrapServers)
        let count = 100_000
        try await TestKafka.publish(TestKafka.keyedRecords(topic: "raw.test.events.v1", count: count, keys: 1000), config: config)

        let spec = TestKafka.routeConnector(name: "route", input: "raw.test.events.v1", output: "crm.test.v1")
        let runtime = try TestKafka.runtime(spec, config: config, group: "g-100k", exitAfter: count)
        let summary = try await runtime.run()
        #expect(summary.recordsIn == count)
        #expect(summary.recordsOut == count)
        #expect(summary.dlq == 0)
        #expect(summary.committed == count)
        // The benchmark's window, with its CPU split by thread: the loop's and the pipeline worker's
        // parts are each some of the whole process's, and both did work.
        let window = try #require(summary.windowSeconds)
        let process = try #require(summary.windowCPUSeconds)
        let loop = try #require(summary.loopCPUSeconds)
        let mapping = try #require(summary.mappingCPUSeconds, "a route connector maps on the pipeline worker")
        #expect(window > 0 && loop > 0 && mapping > 0)
        #expect(loop + mapping <= process + 0.05, "loop \(loop) s + mapping \(mapping) s within the process's \(process) s")

        let output = try await TestKafka.readAll("crm.test.v1", partitions: 12, config: config)
        #expect(output.count == count, "exactly once: \(output.count) records in the output")
        let seqs = output.compactMap(TestKafka.seq(of:))
        #expect(Set(seqs).count == count)
        // Order per key: within each output partition, seqs of one key ascend.
        var lastSeqPerKey: [String: Int] = [:]
        var outOfOrder = 0
        for record in output {
            let key = String(decoding: record.key ?? [], as: UTF8.self)
            guard let seq = TestKafka.seq(of: record) else { continue }
            if let last = lastSeqPerKey[key], last > seq { outOfOrder += 1 }
            lastSeqPerKey[key] = seq
        }
        #expect(outOfOrder == 0)
        // Lineage headers are stamped; upstream traceparent carried through.
        let sample = try #require(output.first)
        #expect(sample.headers.last(named: HeaderNames.connector)?.text == "route")
        #expect(sample.headers.last(named: HeaderNames.mappingVersion)?.text == "test-1")
        #expect(sample.headers.last(named: HeaderNames.sourceTopic)?.text == "raw.test.events.v1")
        #expect(sample.headers.last(named: HeaderNames.sourceOffset) != nil)
        #expect(sample.headers.last(named: HeaderNames.ceSpecVersion)?.text == "1.0")
        #expect(sample.headers.last(named: HeaderNames.traceparent)?.text?.hasPrefix("00-4bf92f") == true)
        // The value is unchanged.
        let seq = try #require(TestKafka.seq(of: sample))
        #expect(sample.value == TestKafka.keyedRecords(topic: "x", count: 1, keys: 1000, start: seq)[0].value)

        let offsets = try await TestKafka.committedAndEnds(group: "g-100k", topic: "raw.test.events.v1", partitions: 8, config: config)
        #expect(offsets.committed == offsets.ends)
        // The embedded cluster dropped nothing (5 MiB per-partition cap).
        let outputMarks = try await TestKafka.committedAndEnds(group: "g-100k", topic: "crm.test.v1", partitions: 12, config: config)
        #expect(outputMarks.ends.values.reduce(0, +) == Int64(count))
    }

    @Test("crash after producing but before committing: the restarted connector leaves every record in the output (duplicates allowed, loss not)")
    func crashSafety() async throws {
        let cluster = try await EmbeddedKafkaCluster.start(brokers: 1)
        try await cluster.createTopic("raw.test.crash.v1", partitions: 4)
        try await cluster.createTopic("crm.crash.v1", partitions: 4)
        try await cluster.createTopic("hub.dlq.crashy.v1", partitions: 1)
        let config = KafkaConfig(bootstrapServers: cluster.bootstrapServers)
        let count = 5_000
        try await TestKafka.publish(TestKafka.keyedRecords(topic: "raw.test.crash.v1", count: count, keys: 50), config: config)

        // Commits only every 10 minutes: the crash comes after producing, before any commit.
        let spec = TestKafka.routeConnector(
            name: "crashy", input: "raw.test.crash.v1", output: "crm.crash.v1",
            tuning: RuntimeTuning(batchSize: 500, maxInFlight: 50_000, commitIntervalMs: 600_000, commitEveryRecords: 10_000_000))
        let first = try TestKafka.runtime(spec, config: config, group: "g-crash")
        let firstRun = Task { try await first.run() }
        try await TestKafka.waitUntil("first instance produced everything") { first.stats.snapshot.produced >= count }
        first.crash()
        _ = try await firstRun.value
        let afterCrash = try await TestKafka.committedAndEnds(group: "g-crash", topic: "raw.test.crash.v1", partitions: 4, config: config)
        #expect(afterCrash.committed.isEmpty, "nothing was committed before the crash: \(afterCrash.committed)")

        let second = try TestKafka.runtime(spec, config: config, group: "g-crash", exitAfter: count)
        let summary = try await second.run()
        #expect(summary.recordsIn == count, "the uncommitted records were redelivered")
        let output = try await TestKafka.readAll("crm.crash.v1", partitions: 4, config: config)
        let seqs = output.compactMap(TestKafka.seq(of:))
        #expect(TestKafka.missing(output, expected: count).isEmpty, "no loss")
        #expect(output.count >= count)
        let duplicates = output.count - Set(seqs).count
        print("crash safety: \(output.count) output records for \(count) inputs, \(duplicates) duplicates")
        let offsets = try await TestKafka.committedAndEnds(group: "g-crash", topic: "raw.test.crash.v1", partitions: 4, config: config)
        #expect(offsets.committed == offsets.ends)
    }

    @Test("two instances in one group split the partitions; stopping one moves its partitions to the other with no loss")
    func twoInstancesRebalance() async throws {
        let cluster = try await EmbeddedKafkaCluster.start(brokers: 1)
        try await cluster.createTopic("raw.test.pair.v1", partitions: 6)
        try await cluster.createTopic("crm.pair.v1", partitions: 6)
        try await cluster.createTopic("hub.dlq.pair.v1", partitions: 1)
        let config = KafkaConfig(bootstrapServers: cluster.bootstrapServers)
        let spec = TestKafka.routeConnector(name: "pair", input: "raw.test.pair.v1", output: "crm.pair.v1")
        let a = try TestKafka.runtime(spec, config: config, group: "g-pair")
        let b = try TestKafka.runtime(spec, config: config, group: "g-pair")
        let runA = Task { try await a.run() }
        let runB = Task { try await b.run() }
        try await TestKafka.waitUntil("both instances have partitions") { a.assignedPartitions > 0 && b.assignedPartitions > 0 }
        #expect(a.assignedPartitions + b.assignedPartitions == 6)

        try await TestKafka.publish(TestKafka.keyedRecords(topic: "raw.test.pair.v1", count: 10_000, keys: 100), config: config)
        try await TestKafka.waitUntil("first batch handled") { a.stats.snapshot.handled + b.stats.snapshot.handled >= 10_000 }
        #expect(a.stats.snapshot.handled > 0 && b.stats.snapshot.handled > 0, "both instances did work")

        a.requestStop()
        _ = try await runA.value
        try await TestKafka.waitUntil("the remaining instance took every partition") { b.assignedPartitions == 6 }
        try await TestKafka.publish(TestKafka.keyedRecords(topic: "raw.test.pair.v1", count: 10_000, keys: 100, start: 10_000), config: config)
        try await TestKafka.waitUntilCommitted(group: "g-pair", topic: "raw.test.pair.v1", partitions: 6, config: config)
        b.requestStop()
        _ = try await runB.value

        let output = try await TestKafka.readAll("crm.pair.v1", partitions: 6, config: config)
        let missing = TestKafka.missing(output, expected: 20_000)
        #expect(missing.isEmpty, "\(missing.count) records missing, e.g. \(missing.prefix(5))")
        let offsets = try await TestKafka.committedAndEnds(group: "g-pair", topic: "raw.test.pair.v1", partitions: 6, config: config)
        #expect(offsets.committed == offsets.ends)
    }

    @Test("a broker taken down and brought back mid-run: no loss")
    func brokerDownAndUp() async throws {
        let cluster = try await EmbeddedKafkaCluster.start(brokers: 3)
        try await cluster.createTopic("raw.test.outage.v1", partitions: 6, replicationFactor: 1)
        try await cluster.createTopic("crm.outage.v1", partitions: 6, replicationFactor: 1)
        try await cluster.createTopic("hub.dlq.outage.v1", partitions: 1)
        let config = KafkaConfig(bootstrapServers: cluster.bootstrapServers)
        let count = 20_000
        try await TestKafka.publish(TestKafka.keyedRecords(topic: "raw.test.outage.v1", count: count, keys: 200), config: config)
        let spec = TestKafka.routeConnector(
            name: "outage", input: "raw.test.outage.v1", output: "crm.outage.v1",
            tuning: RuntimeTuning(batchSize: 200, maxInFlight: 2_000, commitIntervalMs: 200))
        let runtime = try TestKafka.runtime(spec, config: config, group: "g-outage", exitAfter: count)
        let run = Task { try await runtime.run() }
        try await TestKafka.when("the run is under way", { runtime.stats.snapshot.produced > 1_000 }, then: { cluster.setBrokerDown(2) })
        try await Task.sleep(for: .seconds(3))  // the outage itself: broker 2 stays down for 3 s
        cluster.setBrokerUp(2)
        let summary = try await run.value
        #expect(summary.committed >= count)
        // Right after the outage a reader's end offsets can lag the leader's: read again (bounded)
        // until every record is there — a lost record still fails after the deadline.
        var output = try await TestKafka.readAll("crm.outage.v1", partitions: 6, config: config)
        let readDeadline = ContinuousClock.now + .seconds(30)
        while !TestKafka.missing(output, expected: count).isEmpty && ContinuousClock.now < readDeadline {
            try await Task.sleep(for: .milliseconds(500))
            output = try await TestKafka.readAll("crm.outage.v1", partitions: 6, config: config)
        }
        let ends = try await TestKafka.committedAndEnds(group: "g-outage", topic: "crm.outage.v1", partitions: 6, config: config).ends
        #expect(TestKafka.missing(output, expected: count).isEmpty, "no loss across the outage (output end offsets sum to \(ends.values.reduce(0, +)))")
        #expect(summary.dlq == 0, "an outage never sends records to the DLQ")
        print("broker outage: \(output.count) outputs for \(count) inputs, \(summary.retries) retried deliveries")
    }

    @Test("a record the brokers refuse for good goes to the DLQ (stage produce); if even the DLQ refuses its bytes, the DLQ entry keeps its place and reason without the value")
    func permanentRefusalGoesToDLQ() async throws {
        let cluster = try await EmbeddedKafkaCluster.start(brokers: 1)
        try await cluster.createTopic("raw.test.big.v1", partitions: 1)
        try await cluster.createTopic("crm.big.v1", partitions: 1)
        try await cluster.createTopic("hub.dlq.big.v1", partitions: 1)
        let config = KafkaConfig(bootstrapServers: cluster.bootstrapServers)
        // JSON string values (a json connector's plain route refuses invalid JSON at decode).
        let quote = UInt8(ascii: "\"")
        let small = OutputRecord(topic: "raw.test.big.v1", key: Array("small".utf8), value: [quote] + Array(repeating: 65, count: 98) + [quote])
        let big = OutputRecord(topic: "raw.test.big.v1", key: Array("big".utf8), value: [quote] + Array(repeating: 66, count: 5_998) + [quote])
        try await TestKafka.publish([small, big], config: config)
        let spec = ConnectorSpec(
            name: "big", mappingVersion: "t", inputTopics: ["raw.test.big.v1"], dlqTopic: "hub.dlq.big.v1",
            routes: [RouteSpec(name: "all", topic: "crm.big.v1")])
        // This hub's producer refuses records over 3,000 bytes, as a broker with a small max.message.bytes would.
        let runtime = ConnectorRuntime(
            spec: spec, pipeline: try PipelineBuilder.build(spec, catalog: nil),
            options: .init(kafka: config.with(["message.max.bytes": "3000"]), groupID: "g-big", exitAfter: 2), logger: TestKafka.logger)
        let summary = try await runtime.run()
        #expect(summary.recordsOut == 1)
        #expect(summary.dlq == 1)
        let dead = try await TestKafka.readAll("hub.dlq.big.v1", partitions: 1, config: config)
        let entry = try #require(dead.first)
        #expect(dead.count == 1)
        #expect(entry.key == big.key)
        #expect(entry.headers.last(named: HeaderNames.errorStage)?.text == "produce")
        #expect(entry.headers.last(named: HeaderNames.errorCode)?.text == "produce_rejected")
        #expect(entry.headers.last(named: HeaderNames.errorMessage)?.text?.contains("MSG_SIZE_TOO_LARGE") == true)
        #expect(entry.headers.last(named: HeaderNames.valueDropped)?.text?.hasPrefix("6000 bytes") == true)
        #expect(entry.value == nil)
    }
}
