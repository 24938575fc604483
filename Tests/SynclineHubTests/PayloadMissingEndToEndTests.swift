import Foundation
import SynclineAdmin
import SynclineMapping
import SynclineHub
import SynclineKafka
import Testing

/// Issue 14: records with an empty value (0 bytes) or a null value (tombstone) published to
/// raw.marketing.events.v1 were consumed and then found nowhere. Under the hub with the shipped
/// marketing connector both must land in hub.dlq.marketing.v1 as `payload_missing` at `decode`, with
/// their original key, value and headers, and their offsets must be committed. Part of the
/// serialized mapping end-to-end suite, so it does not start one more hub alongside the others.
extension MappingEndToEndTests {
    @Test("an empty and a null value on raw.marketing.events.v1 are both in hub.dlq.marketing.v1 as payload_missing with their key and headers; a valid lead beside them is delivered")
    func emptyAndNullValuesReachTheDLQ() async throws {
        let root = ProjectFixture.repositoryRoot
        let text = try String(contentsOf: root.appendingPathComponent("connectors/marketing.yaml"), encoding: .utf8)
        let project = try ProjectFixture(connectors: ["marketing.yaml": text])
        let hub = try await ReadyHub.start(project, logger: logger)
        defer { hub.stop() }
        let app = hub.app
        let config = hub.config
        let raw = "raw.marketing.events.v1"
        let valid = try Data(contentsOf: root.appendingPathComponent("connectors/samples/marketing/form/valid/form-submit-iso-offset.json"))
        let headers = { (id: String) in [RecordHeader("x-upstream", "landing-\(id)"), RecordHeader("traceparent", "00-\(id)-01")] }
        try await HubTestSupport.publish([
            OutputRecord(topic: raw, key: Array("empty-1".utf8), value: [], headers: headers("empty")),
            OutputRecord(topic: raw, key: Array("tombstone-1".utf8), value: nil, headers: headers("tombstone")),
            OutputRecord(topic: raw, key: Array("valid-1".utf8), value: Array(valid)),
        ], config: config)

        let dlq = try await HubTestSupport.waitForTopic("hub.dlq.marketing.v1", count: 2, partitions: 12, config: config)
        let leads = try await HubTestSupport.waitForTopic("crm.leads.v1", count: 1, partitions: 12, config: config)
        #expect(leads.count == 1, "the valid lead beside them is delivered")
        #expect(dlq.count == 2, "expected the empty and the null value in the DLQ, found \(dlq.map(\.keyText))")
        for (key, id) in [("empty-1", "empty"), ("tombstone-1", "tombstone")] {
            guard let record = dlq.first(where: { $0.keyText == key }) else {
                Issue.record("\(key) is not in hub.dlq.marketing.v1")
                continue
            }
            #expect(record.headers.last(named: HeaderNames.errorCode)?.text == "payload_missing", "\(key)")
            #expect(record.headers.last(named: HeaderNames.errorStage)?.text == "decode", "\(key)")
            #expect(record.headers.last(named: HeaderNames.sourceTopic)?.text == raw, "\(key)")
            for header in headers(id) {
                #expect(record.headers.last(named: header.name)?.text == header.text, "\(key) keeps its header \(header.name)")
            }
            if id == "empty" {
                #expect(record.value == [], "the empty value stays empty")
            } else {
                #expect(record.value == nil, "the tombstone stays null")
            }
        }
        // Each is alerted on hub.alerts.v1, naming its partition and offset.
        let alerts = try await HubTestSupport.waitForTopic(TopicNames.alerts, count: 2, partitions: 6, config: config)
        for key in ["empty-1", "tombstone-1"] {
            guard let dead = dlq.first(where: { $0.keyText == key }),
                  let offset = dead.headers.last(named: HeaderNames.sourceOffset)?.text,
                  let partition = dead.headers.last(named: HeaderNames.sourcePartition)?.text
            else { continue }
            let id = "payload_missing-\(raw)-\(partition)-\(offset)"
            let alert = alerts.first { $0.keyText == id }
            #expect(alert != nil, "no payload_missing alert \(id) among \(alerts.map(\.keyText))")
            if let value = alert?.value, let document = try? JSONParser.parse(value) {
                #expect(document["kind"]?.stringValue == "payload_missing")
                #expect(document["error_stage"]?.stringValue == "decode")
                #expect(document["source_offset"]?.numberText == offset)
            }
        }
        // Both inputs count as handled: every offset of the raw topic is committed.
        let deadline = ContinuousClock.now + .seconds(30)
        var committed = 0
        while ContinuousClock.now < deadline {
            committed = try await BlockingThread.run {
                let consumer = try KafkaConsumer(config: config, groupID: "syncline.marketing", logger: self.logger)
                defer { consumer.close() }
                let list = (0..<Int32(12)).map { TopicPartition(topic: raw, partition: $0) }
                return try consumer.committed(list).reduce(0) { $0 + Int(max(0, $1.offset ?? 0)) }
            }
            if committed == 3 { break }
            try await Task.sleep(for: .milliseconds(200))
        }
        #expect(committed == 3, "all three input offsets committed")
        await app.shutdown()
        try await hub.run.value
    }
}
