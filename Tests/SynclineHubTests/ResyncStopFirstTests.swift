import Foundation
import SynclineMapping
import SynclineKafka
import Testing

/// `syncline resync --stop-first` against a running hub: the hub stops that one connector (it
/// drains, commits and leaves its group), the group is rewound, the connector starts again and
/// processes the records since the time once more — and the hub runs on throughout.
@Suite("syncline resync --stop-first against a running hub", .serialized)
struct ResyncStopFirstTests {
    @Test("without --stop-first the running hub makes resync refuse; with it the connector stops, the group rewinds, the connector re-processes exactly the records since the time, and the hub keeps running")
    func stopRewindStart() async throws {
        let project = try ProjectFixture(connectors: ["mirror.yaml": ProjectFixture.mirror])
        let cluster = try await EmbeddedKafkaCluster.start(brokers: 1)
        let catalog = try TopicCatalog.load(directory: project.root.appendingPathComponent("topics"))
        try await cluster.createTopics(catalog.topics.map(\.kafkaRequest))
        let config = KafkaConfig(bootstrapServers: cluster.bootstrapServers)
        let leads = TopicNames.leads
        let leadPartitions = catalog.topics.first { $0.name == leads }?.partitions ?? 1
        let (all, boundary) = try await ResyncEndToEndTests.publishTwoBatches(config: config)
        #expect(all.count == 420)
        let atEnd = Dictionary(grouping: all, by: \.partition).mapValues { ($0.map(\.offset).max() ?? -1) + 1 }

        let base = ["--root", project.root.path, "--state", project.state.path]
        // Stopping a connector is a mutating admin call: it needs the operator's token.
        let token = ["SYNCLINE_ADMIN_TOKEN": "resync-stop-first-0123456789abcdef"]
        let hub = try HubProcess(
            ["up", "--admin", "127.0.0.1:0", "--brokers", cluster.bootstrapServers, "--log-level", "warning"] + base, environment: token)
        let admin = try await hub.waitForLine(prefix: "admin: ")
        let rewinder = ResyncEndToEndTests()
        try await ScaleOutTests.waitUntil("the hub committed all 420 inputs", timeout: .seconds(90)) {
            try await rewinder.committed(config) == atEnd
        }
        #expect(try await HubTestSupport.read(leads, partitions: leadPartitions, config: config).count == 420)

        let address = String(admin.dropFirst("http://".count))
        let resync = ["resync", "--connector", "mirror", "--since", UTCTimestamp.format(ms: boundary), "--brokers", cluster.bootstrapServers,
                      "--admin", address] + base
        let refused = try HubProcess(resync)
        #expect(try await refused.waitForExit(timeout: .seconds(120)) == 1, "stdout: \(refused.output) stderr: \(refused.errors.suffix(2000))")
        #expect(refused.errors.contains("--stop-first"), "the refusal names the way out: \(refused.errors.suffix(1000))")
        #expect(try await rewinder.committed(config) == atEnd, "a refused resync commits nothing")

        let done = try HubProcess(resync + ["--stop-first"], environment: token)
        #expect(try await done.waitForExit(timeout: .seconds(120)) == 0, "stdout: \(done.output) stderr: \(done.errors.suffix(2000))")
        #expect(done.output.contains { $0.hasPrefix("stopped mirror in the hub") }, "\(done.output)")
        #expect(done.output.contains("rewound syncline.mirror: 12 of 12 partitions confirmed by the coordinator; 120 record(s) will be processed again when the connector starts"), "\(done.output)")
        #expect(done.output.contains { $0.hasPrefix("started mirror again") }, "\(done.output)")

        // The connector, started again in the same hub, reads the 120 records since the time once more.
        try await ScaleOutTests.waitUntil("the second batch re-processed and committed", timeout: .seconds(90)) {
            try await HubTestSupport.read(leads, partitions: leadPartitions, config: config).count == 540
        }
        try await ScaleOutTests.waitUntil("the group committed the end again", timeout: .seconds(60)) {
            try await rewinder.committed(config) == atEnd
        }
        let outputs = try await HubTestSupport.read(leads, partitions: leadPartitions, config: config)
        let twice = Dictionary(grouping: outputs, by: { String(decoding: $0.key ?? [], as: UTF8.self) }).filter { $0.value.count > 1 }.keys
        #expect(Set(twice) == Set((0..<120).map { "second-\($0)" }), "exactly the records since the time came again")
        #expect(hub.process.isRunning, "the hub ran on")
        let connectors = try await HTTPTestClient.call("GET", admin + "/api/v1/connectors")
        #expect(connectors.status == 200 && connectors.text.contains("\"running\""), "\(connectors.text)")
        hub.signal(SIGTERM)
        #expect(try await hub.waitForExit(timeout: .seconds(60)) == 0, "stderr: \(hub.errors.suffix(2000))")
    }
}
