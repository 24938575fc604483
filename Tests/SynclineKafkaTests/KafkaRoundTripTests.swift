import Foundation
import Logging
import SynclineRecords
import SynclineKafka
import Testing

@Suite("Kafka transport over the embedded cluster (TCP)")
struct KafkaRoundTripTests {
    let logger = Logger(label: "test")

    @Test("produce/consume round trip keeps keys, headers and UTF-8 payloads")
    func roundTrip() async throws {
        let cluster = try await EmbeddedKafkaCluster.start(brokers: 1)
        try await cluster.createTopic("raw.test.roundtrip.v1", partitions: 4)
        let config = KafkaConfig(bootstrapServers: cluster.bootstrapServers)
        let producer = try KafkaProducer(config: config, logger: logger)
        defer { producer.close() }
        var sent: [OutputRecord] = []
        for index in 0..<200 {
            let value = #"{"姓名":"张三\#(index)","手机":"+86 138-0013-8000","emoji":"🎉"}"#
            sent.append(OutputRecord(
                topic: "raw.test.roundtrip.v1", key: Array("客户-\(index % 7)".utf8), value: Array(value.utf8),
                headers: [RecordHeader("ce_id", "evt-\(index)"), RecordHeader("trace", "t\(index)"), RecordHeader(name: "empty", value: nil)]))
        }
        for record in sent {
            let report = try await producer.send(record)
            #expect(report.offset >= 0)
        }
        let reader = KafkaTopicReader(config: config, logger: logger)
        let received = try await BlockingThread.run { try reader.readAll(topic: "raw.test.roundtrip.v1", partitions: 4) }
        #expect(received.count == sent.count)
        let byEvent = Dictionary(uniqueKeysWithValues: received.map { ($0.headers.last(named: "ce_id")?.text ?? "", $0) })
        for record in sent {
            let id = record.headers[0].text ?? ""
            let got = try #require(byEvent[id], "record \(id) missing")
            #expect(got.key == record.key)
            #expect(got.value == record.value)
            #expect(got.headers == record.headers)
            #expect(got.timestampMs != nil)
        }
        // Same key → same partition, in send order.
        let perKey = Dictionary(grouping: received) { $0.key ?? [] }
        for (_, records) in perKey {
            #expect(Set(records.map(\.partition)).count == 1)
            let ids = records.sorted { $0.offset < $1.offset }.compactMap { $0.headers.last(named: "ce_id")?.text }
            let order = ids.compactMap { Int($0.dropFirst(4)) }
            #expect(order == order.sorted())
        }
    }

    @Test("delivery failure surfaces as a typed error with librdkafka's code and text")
    func deliveryFailureIsTyped() async throws {
        let cluster = try await EmbeddedKafkaCluster.start(brokers: 1)
        try await cluster.createTopic("raw.test.big.v1", partitions: 1)
        let config = KafkaConfig(bootstrapServers: cluster.bootstrapServers, properties: ["message.max.bytes": "10000"])
        let producer = try KafkaProducer(config: config, logger: logger)
        defer { producer.close() }
        let huge = OutputRecord(topic: "raw.test.big.v1", key: nil, value: Array(repeating: 65, count: 50_000))
        await #expect(throws: KafkaError.self) { try await producer.send(huge) }
        do {
            _ = try await producer.send(huge)
        } catch let error as KafkaError {
            #expect(error.name == "MSG_SIZE_TOO_LARGE")
            #expect(error.isPermanentForRecord)
        }
    }

    @Test("admin metadata lists the embedded cluster's topics with partition counts")
    func describeTopics() async throws {
        let cluster = try await EmbeddedKafkaCluster.start(brokers: 2)
        try await cluster.createTopic("crm.things.v1", partitions: 6)
        let admin = try KafkaAdmin(config: KafkaConfig(bootstrapServers: cluster.bootstrapServers), logger: logger)
        let topics = try await BlockingThread.run { try admin.describeTopics() }
        #expect(topics["crm.things.v1"] == 6)
    }
}
