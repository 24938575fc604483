import Foundation
import Logging
import SynclineAdmin
import SynclineMapping
import SynclineHub
import SynclineKafka
import SynclineStore
import Testing

@Suite("Mapping, DLQ and latency end to end over the embedded cluster", .serialized)
struct MappingEndToEndTests {
    let logger = HubTestSupport.logger

    /// The hub on the signup connector, ready (its group joined, so timing starts from there).
    func startHub() async throws -> ReadyHub {
        let project = try ProjectFixture(connectors: ["signup.yaml": ProjectFixture.signup], extraTopics: ["crm.testleads.v1.yaml": ProjectFixture.testLeadsTopic])
        return try await ReadyHub.start(project, logger: logger)
    }

    func waitForTopic(_ topic: String, count: Int, partitions: Int, config: KafkaConfig) async throws -> [InputRecord] {
        try await HubTestSupport.waitForTopic(topic, count: count, partitions: partitions, config: config)
    }

    @Test("10,000 raw records with 5% invalid: every valid one canonical, every invalid one in the DLQ with its original bytes and the right code, none missing; offsets committed only after the DLQ writes")
    func tenThousandWithFivePercentInvalid() async throws {
        let hub = try await startHub()
        defer { hub.run.cancel() }
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        var records: [OutputRecord] = []
        var expectedCodes: [String: String] = [:]  // event id → expected DLQ code
        var valid = Set<String>()
        for index in 0..<10_000 {
            let id = "evt-\(index)"
            var body = #"{"event_id":"\#(id)","occurred_at":\#(now - 1_000),"fields":{"手机":"138 0013 \#(String(format: "%04d", index % 10_000))"},"amount":"12.50"}"#
            switch index % 100 {
            case 0: body = #"{"event_id":"\#(id)","occurred_at":\#(now),"fields":{"手机":"12"}}"#; expectedCodes[id] = "invalid_phone"
            case 1: body = #"{"event_id":"\#(id)","occurred_at":\#(now),"fields":{}}"#; expectedCodes[id] = "required_missing"
            case 2: body = #"{"event_id":"\#(id)","occurred_at":\#(now),"fields":{"手机":"13800138000"},"amount":"abc"}"#; expectedCodes[id] = "not_a_number"
            case 3: body = #"{"event_id":"\#(id)","occurred_at":\#(now),"fields":{"手机":"13800138000""#; expectedCodes[id] = "invalid_json"
            case 4: body = #"{"event_id":"\#(id)","occurred_at":\#(now),"fields":{"手机":"13800138000"},"amount":12.555}"#; expectedCodes[id] = "decimal_scale_exceeded"
            default: valid.insert(id)
            }
            records.append(OutputRecord(
                topic: "raw.marketing.events.v1", key: Array(id.utf8), value: Array(body.utf8),
                headers: [RecordHeader("ce_id", id)]))
        }
        try await publish(records, config: hub.config)
        let canonical = try await waitForTopic("crm.testleads.v1", count: valid.count, partitions: 12, config: hub.config)
        let dead = try await waitForTopic("hub.dlq.marketing.v1", count: expectedCodes.count, partitions: 12, config: hub.config)

        let canonicalIDs = canonical.compactMap { $0.key.map { String(decoding: $0, as: UTF8.self) } }
        #expect(canonical.count == valid.count, "canonical: \(canonical.count), expected \(valid.count)")
        #expect(Set(canonicalIDs) == valid)
        #expect(dead.count == expectedCodes.count, "DLQ: \(dead.count), expected \(expectedCodes.count)")
        let sent = Dictionary(uniqueKeysWithValues: records.map { (String(decoding: $0.key ?? [], as: UTF8.self), $0) })
        var wrongCode = 0
        for record in dead {
            let id = String(decoding: record.key ?? [], as: UTF8.self)
            #expect(record.value == sent[id]?.value, "DLQ keeps the original bytes of \(id)")
            let code = record.headers.last(named: HeaderNames.errorCode)?.text
            if code != expectedCodes[id] { wrongCode += 1 }
            for name in [
                HeaderNames.errorStage, HeaderNames.errorMessage, HeaderNames.mappingVersion, HeaderNames.attempts,
                HeaderNames.firstFailedAt, HeaderNames.sourceTopic, HeaderNames.sourcePartition, HeaderNames.sourceOffset,
            ] {
                #expect(record.headers.last(named: name) != nil, "\(id) lacks \(name)")
            }
        }
        #expect(wrongCode == 0)
        let sample = try #require(dead.first { $0.headers.last(named: HeaderNames.errorCode)?.text == "invalid_phone" })
        #expect(sample.headers.last(named: HeaderNames.errorField)?.text == "phone")
        #expect(sample.headers.last(named: HeaderNames.rule)?.text == "lead")
        #expect(sample.headers.last(named: HeaderNames.mappingVersion)?.text == "t-1")
        let message = try #require(sample.headers.last(named: HeaderNames.errorMessage)?.text)
        #expect(message.contains("signup") && message.contains("phone") && message.contains("raw.marketing.events.v1["))

        // Every input offset is committed (after the outputs and DLQ writes were acknowledged).
        let deadline = ContinuousClock.now + .seconds(30)
        var offsets = try await committedAndEnds(hub)
        while offsets.committed != offsets.ends && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(200))
            offsets = try await committedAndEnds(hub)
        }
        #expect(offsets.committed == offsets.ends)
        // The ledger's DLQ index agrees, by code (it is written in one-second batches: wait for it).
        var indexed = try hub.app.ledger.deadLetters(connector: "signup", code: nil, limit: 10_000)
        while indexed.count < expectedCodes.count && ContinuousClock.now < deadline + .seconds(10) {
            try await Task.sleep(for: .milliseconds(100))
            indexed = try hub.app.ledger.deadLetters(connector: "signup", code: nil, limit: 10_000)
        }
        #expect(indexed.count == expectedCodes.count)
        #expect(try hub.app.ledger.deadLetters(connector: "signup", code: "invalid_phone", limit: 10_000).count == 100)
        #expect(try hub.app.ledger.mappingVersions(connector: "signup").first?.version == "t-1")
        await hub.app.shutdown()
        try await hub.run.value
    }

    @Test("records 30 s, 89 s, 91 s and 10 min old: exactly the two over 90 s are flagged in headers, on hub.latency.v1, in the counter and in the samples API")
    func ninetySecondSLO() async throws {
        let hub = try await startHub()
        defer { hub.run.cancel() }
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        let ages: [String: Int64] = ["age-30s": 30_000, "age-89s": 89_000, "age-91s": 91_000, "age-10m": 600_000]
        let records = ages.map { id, age in
            OutputRecord(
                topic: "raw.marketing.events.v1", key: Array(id.utf8),
                value: Array(#"{"event_id":"\#(id)","occurred_at":"\#(UTCTimestamp.format(ms: now - age))","fields":{"手机":"13800138000"}}"#.utf8))
        }
        try await publish(records, config: hub.config)
        let outputs = try await waitForTopic("crm.testleads.v1", count: 4, partitions: 12, config: hub.config)
        #expect(outputs.count == 4)
        var flagged: Set<String> = []
        for output in outputs {
            let id = String(decoding: output.key ?? [], as: UTF8.self)
            let delayed = output.headers.last(named: HeaderNames.delayed)?.text
            #expect(delayed == "true" || delayed == "false")
            if delayed == "true" { flagged.insert(id) }
            let delay = try #require(output.headers.last(named: HeaderNames.delayMs)?.text.flatMap { Int64($0) })
            #expect(delay >= ages[id] ?? 0)
        }
        #expect(flagged == ["age-91s", "age-10m"])
        let observations = try await waitForTopic(TopicNames.latency, count: 2, partitions: 12, config: hub.config)
        #expect(observations.count == 2)
        let observed = Set(try observations.map { record -> String in
            let json = try #require(try JSONSerialization.jsonObject(with: Data(record.value ?? [])) as? [String: Any])
            #expect(json["attribution"] as? String == "upstream")
            #expect(json["delayed"] as? Bool == true)
            #expect(json["source_ts"] is String && json["broker_ts"] is String && json["consume_ts"] is String && json["ack_ts"] is String)
            return json["event_id"] as? String ?? ""
        })
        #expect(observed == ["age-91s", "age-10m"])
        // Counter and samples API (the ledger writes in one-second batches; wait for them).
        let deadline = ContinuousClock.now + .seconds(20)
        var metrics = ""
        while !metrics.contains(#"syncline_records_delayed_total{connector="signup"} 2"#) && ContinuousClock.now < deadline {
            metrics = try await HTTPTestClient.call("GET", hub.base + "/metrics").text
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(metrics.contains(#"syncline_records_delayed_total{connector="signup"} 2"#))
        struct Samples: Decodable {
            struct Sample: Decodable { var event_id: String; var source_ts: String; var ingest_ts: String; var delay_ms: Int64 }
            var samples: [Sample]
        }
        var samples: [Samples.Sample] = []
        while samples.count < 2 && ContinuousClock.now < deadline {
            let answer = try await HTTPTestClient.call("GET", hub.base + "/api/v1/latency/samples?connector=signup&limit=5")
            samples = try JSONDecoder().decode(Samples.self, from: answer.body).samples
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(Set(samples.map(\.event_id)) == ["age-91s", "age-10m"])
        #expect(samples.allSatisfy { $0.source_ts < $0.ingest_ts && $0.delay_ms > 90_000 })
        let channels = try await HTTPTestClient.call("GET", hub.base + "/api/v1/channels/health?window=24h")
        #expect(channels.status == 200)
        #expect(channels.text.contains("\"connector\":\"signup\""))
        await hub.app.shutdown()
        try await hub.run.value
    }

    func publish(_ records: [OutputRecord], config: KafkaConfig) async throws {
        try await HubTestSupport.publish(records, config: config)
    }

    func committedAndEnds(_ hub: ReadyHub) async throws -> (committed: [Int32: Int64], ends: [Int32: Int64]) {
        try await BlockingThread.run {
            let consumer = try KafkaConsumer(config: hub.config, groupID: "syncline.signup", logger: self.logger)
            defer { consumer.close() }
            let list = (0..<Int32(12)).map { TopicPartition(topic: "raw.marketing.events.v1", partition: $0) }
            var committed: [Int32: Int64] = [:]
            for partition in try consumer.committed(list) { if let offset = partition.offset { committed[partition.partition] = offset } }
            var ends: [Int32: Int64] = [:]
            for partition in list {
                let high = try consumer.watermarks(topic: partition.topic, partition: partition.partition).high
                if high > 0 { ends[partition.partition] = high }
            }
            return (committed, ends)
        }
    }
}
