import Foundation
import Logging
import SynclineAdmin
import SynclineMapping
import SynclineHub
import SynclineKafka
import Testing

/// The three shipped connectors (marketing, tickets, erp) under the hub against the embedded cluster:
/// a mixed batch of every valid and invalid sample goes in; the canonical topics and the DLQ must hold
/// exactly what they should — nothing missing, nothing extra.
@Suite("Shipped connectors end to end over the embedded cluster", .serialized)
struct ConnectorsEndToEndTests {
    let logger = HubTestSupport.logger

    /// One sample file: published with its file name as the key.
    struct Sample {
        let name: String
        let topic: String
        let bytes: [UInt8]
        let expectedCode: String?
    }

    static let shapeTopics: [String: String] = [
        "form": "raw.marketing.events.v1", "zendesk": "raw.tickets.events.v1",
        "orders": "raw.erp.orders.v1", "paypal": "raw.erp.payments.v1", "bank": "raw.erp.payments.v1",
    ]

    static func samples(_ connector: String) throws -> [Sample] {
        let base = ProjectFixture.repositoryRoot.appendingPathComponent("connectors/samples/\(connector)")
        var samples: [Sample] = []
        for shape in try FileManager.default.contentsOfDirectory(atPath: base.path).sorted() {
            for kind in ["valid", "invalid"] {
                let folder = base.appendingPathComponent("\(shape)/\(kind)")
                for name in ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).sorted() where name.hasSuffix(".json") {
                    samples.append(Sample(
                        name: "\(shape)/\(kind)/\(name)", topic: shapeTopics[shape] ?? "",
                        bytes: Array(try Data(contentsOf: folder.appendingPathComponent(name))),
                        expectedCode: kind == "invalid" ? String(name.prefix { $0 != "-" && $0 != "." }) : nil))
                }
            }
        }
        return samples
    }

    /// What one run of the hub produced, by topic.
    struct Produced {
        var byTopic: [String: [InputRecord]]
    }

    func run(_ connector: String, outputs: [String: Int]) async throws -> (samples: [Sample], produced: Produced, spec: ConnectorSpec) {
        let text = try String(contentsOf: ProjectFixture.repositoryRoot.appendingPathComponent("connectors/\(connector).yaml"), encoding: .utf8)
        let project = try ProjectFixture(connectors: ["\(connector).yaml": text])
        let spec = try ConnectorSpecParser.parse(text, file: "\(connector).yaml")
        let hub = try await ReadyHub.start(project, logger: logger)
        defer { hub.stop() }
        let app = hub.app
        let config = hub.config
        let samples = try Self.samples(connector)
        let records = samples.map { OutputRecord(topic: $0.topic, key: Array($0.name.utf8), value: $0.bytes) }
        try await BlockingThread.run {
            let producer = try KafkaProducer(config: config, logger: self.logger)
            for (index, record) in records.enumerated() { try producer.produce(record, token: UInt64(index + 1)) }
            if let error = producer.flush(timeoutMs: 60_000) { throw error }
            producer.close()
        }
        // Wait until every input offset is committed (outputs and DLQ writes acknowledged), then read everything.
        let inputTopics = Set(samples.map(\.topic)).sorted()
        let deadline = ContinuousClock.now + .seconds(90)
        var expectedEnds = 0
        var committed = -1
        while ContinuousClock.now < deadline {
            (committed, expectedEnds) = try await committedAndEnds(config, group: "syncline.\(connector)", topics: inputTopics)
            if committed == expectedEnds && expectedEnds == samples.count { break }
            try await Task.sleep(for: .milliseconds(200))
        }
        #expect(expectedEnds == samples.count)
        #expect(committed == samples.count, "\(connector): committed \(committed) of \(samples.count) input records")
        var produced = Produced(byTopic: [:])
        for (topic, count) in outputs.sorted(by: { $0.key < $1.key }) {
            produced.byTopic[topic] = try await waitForTopic(topic, count: count, config: config)
        }
        await app.shutdown()
        try await hub.run.value
        return (samples, produced, spec)
    }

    func waitForTopic(_ topic: String, count: Int, config: KafkaConfig) async throws -> [InputRecord] {
        let catalog = try TopicCatalog.load(directory: ProjectFixture.repositoryRoot.appendingPathComponent("topics"))
        let partitions = catalog[topic]?.partitions ?? 12
        return try await HubTestSupport.waitForTopic(topic, count: count, partitions: partitions, config: config, timeout: .seconds(60))
    }

    /// Sum of committed offsets and of high watermarks over the input topics' 12 partitions.
    func committedAndEnds(_ config: KafkaConfig, group: String, topics: [String]) async throws -> (Int, Int) {
        try await BlockingThread.run {
            let consumer = try KafkaConsumer(config: config, groupID: group, logger: self.logger)
            defer { consumer.close() }
            let list = topics.flatMap { topic in (0..<Int32(12)).map { TopicPartition(topic: topic, partition: $0) } }
            var committed = 0
            for partition in try consumer.committed(list) { committed += Int(max(0, partition.offset ?? 0)) }
            var ends = 0
            for partition in list { ends += Int(try consumer.watermarks(topic: partition.topic, partition: partition.partition).high) }
            return (committed, ends)
        }
    }

    /// Checks a run against the connector's own pipeline run locally on every sample: every valid
    /// sample's outputs are on their canonical topics with the same key and value, every invalid one is
    /// in the DLQ with its original bytes, key and the expected code — and nothing else is anywhere.
    func verify(_ connector: String, expectedTopics: [String]) async throws -> Produced {
        let catalog = try TopicCatalog.load(directory: ProjectFixture.repositoryRoot.appendingPathComponent("topics"))
        let samples = try Self.samples(connector)
        let spec = try ConnectorSpecParser.load(file: ProjectFixture.repositoryRoot.appendingPathComponent("connectors/\(connector).yaml"))
        let pipeline = try PipelineBuilder.build(spec, catalog: catalog)
        var expected: [String: [String]] = [:]  // topic → "key\tvalue"
        for sample in samples where sample.expectedCode == nil {
            let context = try pipeline.run(InputRecord(topic: sample.topic, partition: 0, offset: 0, key: Array(sample.name.utf8), value: sample.bytes)).get()
            for output in context.outputs {
                expected[output.topic, default: []].append(String(decoding: output.key ?? [], as: UTF8.self) + "\t" + String(decoding: output.value ?? [], as: UTF8.self))
            }
        }
        let invalid = samples.filter { $0.expectedCode != nil }
        var counts = expected.mapValues(\.count)
        counts[spec.dlqTopic] = invalid.count
        #expect(Set(expected.keys) == Set(expectedTopics))
        let (_, produced, _) = try await run(connector, outputs: counts)
        for topic in expectedTopics {
            let got = (produced.byTopic[topic] ?? []).map { String(decoding: $0.key ?? [], as: UTF8.self) + "\t" + String(decoding: $0.value ?? [], as: UTF8.self) }
            #expect(got.sorted() == (expected[topic] ?? []).sorted(), "\(connector) → \(topic)")
            for record in produced.byTopic[topic] ?? [] {
                #expect((record.headers.last(named: HeaderNames.ceID)?.text ?? "") != "")
                #expect(record.headers.last(named: HeaderNames.connector)?.text == connector)
                #expect(record.headers.last(named: HeaderNames.mappingVersion)?.text == spec.mappingVersion)
            }
        }
        let dead = produced.byTopic[spec.dlqTopic] ?? []
        #expect(dead.count == invalid.count, "\(connector): \(dead.count) DLQ records, expected \(invalid.count)")
        let byName = Dictionary(uniqueKeysWithValues: invalid.map { ($0.name, $0) })
        var seen = Set<String>()
        for record in dead {
            let name = String(decoding: record.key ?? [], as: UTF8.self)
            let sample = try #require(byName[name], "unexpected DLQ record \(name)")
            seen.insert(name)
            #expect(record.value == sample.bytes, "\(name): the DLQ keeps the original bytes")
            #expect(record.headers.last(named: HeaderNames.errorCode)?.text == sample.expectedCode, "\(name)")
            #expect(record.headers.last(named: HeaderNames.sourceTopic)?.text == sample.topic, "\(name)")
            let message = record.headers.last(named: HeaderNames.errorMessage)?.text ?? ""
            #expect(message.contains(connector), "\(name): \(message)")
        }
        #expect(seen == Set(byName.keys))
        return produced
    }

    static func json(_ record: InputRecord) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(record.value ?? [])) as? [String: Any])
    }

    @Test("marketing: form events → crm.leads.v1 with E.164 phones and extra; bad ones in hub.dlq.marketing.v1 with their codes")
    func marketing() async throws {
        let produced = try await verify("marketing", expectedTopics: ["crm.leads.v1"])
        let leads = try (produced.byTopic["crm.leads.v1"] ?? []).map(Self.json)
        let first = try #require(leads.first { $0["lead_id"] as? String == "mkt-mkt-ev-1001" })
        #expect(first["phone"] as? String == "+8613800138000")
        #expect(first["customer_level"] as? String == "A")
        #expect(first["source_channel"] as? String == "baidu")
        #expect((first["extra"] as? [String: Any])?["备注"] as? String == "周末上课")
        #expect(leads.allSatisfy { $0["phone"] != nil || $0["email"] != nil })
    }

    @Test("tickets: every event → a ticket activity; complaints also → crm.customer_updates.v1 keyed by the customer; bad ones in the DLQ")
    func tickets() async throws {
        let produced = try await verify("tickets", expectedTopics: ["crm.activities.v1", "crm.customer_updates.v1"])
        let updates = produced.byTopic["crm.customer_updates.v1"] ?? []
        #expect(Set(updates.map { String(decoding: $0.key ?? [], as: UTF8.self) })
            == ["phone:+8613912345678", "email:Lucy.Wang@example.com", "external:helpdesk:C-20931"])
        #expect((produced.byTopic["crm.activities.v1"] ?? []).allSatisfy { (try? Self.json($0))?["kind"] as? String == "ticket" })
    }

    @Test("erp: orders → crm.orders.v1, PayPal and bank payments → crm.payments.v1 with exact net amounts; mismatches in the DLQ")
    func erp() async throws {
        let produced = try await verify("erp", expectedTopics: ["crm.orders.v1", "crm.payments.v1"])
        var sum = ExactDecimal.zero
        for record in produced.byTopic["crm.payments.v1"] ?? [] {
            guard let value = record.value, case .number(let net)? = try JSONParser.parse(value)["net_amount"] else {
                Issue.record("payment without a numeric net_amount")
                continue
            }
            sum = try sum.adding(try ExactDecimal.parse(net))
        }
        // 96.02 + 241.25 + 45.50 − 19.42 (PayPal) + 9987.50 + 4944.60 − 305.00 (bank)
        #expect(sum.description == "14990.45")
    }
}
