import Foundation
import Logging
import SynclineMapping
import SynclineHub
import SynclineKafka
import SynclineRuntime
import Testing

@Suite("The hub as a user runs it: syncline up / run, over the embedded cluster", .serialized)
struct HubCommandTests {
    let logger = Logger(label: "test")

    @Test("syncline up prints the bootstrap address; a record published with a Kafka client comes out routed with lineage headers; SIGTERM drains, commits and exits 0")
    func upRoutesAndShutsDown() async throws {
        let project = try ProjectFixture(connectors: ["mirror.yaml": ProjectFixture.mirror])
        let hub = try HubProcess(["up", "--root", project.root.path, "--state", project.state.path, "--log-level", "warning"])
        let bootstrap = try await hub.waitForLine(prefix: "kafka: ")
        #expect(bootstrap.contains("127.0.0.1:"))
        let config = KafkaConfig(bootstrapServers: bootstrap)
        let producer = try KafkaProducer(config: config, logger: logger)
        let value = Array(#"{"event_id":"e-1","fields":{"姓名":"张三"}}"#.utf8)
        _ = try await producer.send(OutputRecord(
            topic: "raw.marketing.events.v1", key: Array("lead-1".utf8), value: value,
            headers: [RecordHeader("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")]))
        producer.close()

        var routed: InputRecord?
        let deadline = ContinuousClock.now + .seconds(60)
        while routed == nil && ContinuousClock.now < deadline {
            let records = try await BlockingThread.run {
                try KafkaTopicReader(config: config, logger: self.logger).readAll(topic: "crm.leads.v1", partitions: 12, timeout: .seconds(5))
            }
            routed = records.first
            if routed == nil { try await Task.sleep(for: .milliseconds(200)) }
        }
        let record = try #require(routed)
        #expect(record.value == value)
        #expect(record.key == Array("lead-1".utf8))
        #expect(record.headers.last(named: HeaderNames.connector)?.text == "mirror")
        #expect(record.headers.last(named: HeaderNames.sourceTopic)?.text == "raw.marketing.events.v1")
        #expect(record.headers.last(named: HeaderNames.sourceOffset)?.text == "0")
        #expect(record.headers.last(named: HeaderNames.ingestTs) != nil)
        #expect(record.headers.last(named: HeaderNames.traceparent)?.text?.hasPrefix("00-0af765") == true)

        hub.signal(SIGTERM)
        let status = try await hub.waitForExit()
        #expect(status == 0, "stderr: \(hub.errors.suffix(2000))")
        let summary = try #require(hub.output.first { $0.hasPrefix("{") && $0.contains("\"mirror\"") })
        #expect(summary.contains("\"committed\":1"))
    }

    @Test("syncline up refuses a connector whose output topic is not declared, naming the file and the topic")
    func upRefusesBadConnector() async throws {
        let bad = ProjectFixture.mirror.replacingOccurrences(of: "crm.leads.v1", with: "crm.nowhere.v1")
        let project = try ProjectFixture(connectors: ["mirror.yaml": bad])
        let hub = try HubProcess(["up", "--root", project.root.path, "--state", project.state.path])
        let status = try await hub.waitForExit()
        #expect(status == 2)
        #expect(hub.errors.contains("mirror.yaml"))
        #expect(hub.errors.contains("crm.nowhere.v1"))
        #expect(!hub.output.contains { $0.hasPrefix("kafka:") })
    }

    @Test("syncline run --exit-after N stops once N records are committed and prints a one-line JSON summary")
    func runExitAfter() async throws {
        // In connectors/, where `dlq replay` finds the connector's DLQ topic.
        let project = try ProjectFixture(connectors: ["mirror.yaml": ProjectFixture.mirror])
        let connectorFile = project.root.appendingPathComponent("connectors/mirror.yaml")
        let cluster = try await EmbeddedKafkaCluster.start(brokers: 1)
        try await cluster.createTopics(try TopicCatalog.load(directory: project.root.appendingPathComponent("topics")).topics.map(\.kafkaRequest))
        let config = KafkaConfig(bootstrapServers: cluster.bootstrapServers)
        let producer = try KafkaProducer(config: config, logger: logger)
        for index in 0..<500 {
            _ = try await producer.send(OutputRecord(topic: "raw.marketing.events.v1", key: Array("k\(index)".utf8), value: Array("{\"n\":\(index)}".utf8)))
        }
        // Two empty values: payload_missing in the DLQ, and in the ledger `dlq list` reads.
        for key in ["empty-a", "empty-b"] {
            _ = try await producer.send(OutputRecord(topic: "raw.marketing.events.v1", key: Array(key.utf8), value: []))
        }
        producer.close()
        let run = try HubProcess([
            "run", "--connector", connectorFile.path, "--brokers", cluster.bootstrapServers, "--group", "g-run",
            "--exit-after", "502", "--root", project.root.path, "--state", project.state.path, "--log-level", "warning",
        ])
        let status = try await run.waitForExit(timeout: .seconds(90))
        #expect(status == 0, "stderr: \(run.errors.suffix(2000))")
        let line = try #require(run.output.last)
        let summary = try JSONDecoder().decode(SummaryLine.self, from: Data(line.utf8))
        #expect(summary.records_in == 502)
        #expect(summary.records_out == 500)
        #expect(summary.committed == 502)
        #expect(summary.dlq == 2)
        #expect(summary.seconds > 0)
        // `syncline run` keeps the DLQ ledger too: `dlq list` on the same state shows both.
        let list = try HubProcess(["dlq", "list", "--connector", "mirror", "--root", project.root.path, "--state", project.state.path])
        #expect(try await list.waitForExit(timeout: .seconds(30)) == 0, "stderr: \(list.errors.suffix(1000))")
        #expect(list.output.filter { $0.contains("payload_missing") }.count == 2, "dlq list: \(list.output)")

        // Replay finds both on the topic (dry run) …
        let dry = try HubProcess(["dlq", "replay", "--connector", "mirror", "--brokers", cluster.bootstrapServers, "--dry-run", "--root", project.root.path, "--state", project.state.path])
        #expect(try await dry.waitForExit(timeout: .seconds(60)) == 0, "stderr: \(dry.errors.suffix(1000))")
        #expect(dry.output.contains { $0.hasPrefix("would replay 2,") }, "\(dry.output) \(dry.errors.suffix(1500))")
        // … but against a new, empty cluster (what a restarted embedded cluster is) it says the
        // ledger's entries are gone from the topic, and exits non-zero instead of "replayed 0".
        let fresh = try await EmbeddedKafkaCluster.start(brokers: 1)
        try await fresh.createTopics(try TopicCatalog.load(directory: project.root.appendingPathComponent("topics")).topics.map(\.kafkaRequest))
        let gone = try HubProcess(["dlq", "replay", "--connector", "mirror", "--brokers", fresh.bootstrapServers, "--root", project.root.path, "--state", project.state.path])
        #expect(try await gone.waitForExit(timeout: .seconds(60)) == 1, "stdout: \(gone.output) stderr: \(gone.errors.suffix(1000))")
        #expect(gone.errors.contains("2 DLQ record(s) in the ledger are no longer on hub.dlq.marketing.v1"), "\(gone.errors.suffix(1000))")
        #expect(gone.output.filter { $0.hasPrefix("missing hub.dlq.marketing.v1/") }.count == 2)
    }

    struct SummaryLine: Decodable {
        var records_in: Int
        var records_out: Int
        var dlq: Int
        var committed: Int
        var seconds: Double
    }
}
