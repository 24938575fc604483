import SynclineMapping
import SynclineTooling
import Testing

/// `RecordTracer` follows lineage headers and the JSON of alerts and observations, hop by hop.
@Suite("Record tracer (syncline trace)")
struct RecordTracerTests {
    static func record(_ topic: String, _ partition: Int32, _ offset: Int64, ts: Int64, headers: [RecordHeader] = [], value: String = "{}") -> InputRecord {
        InputRecord(topic: topic, partition: partition, offset: offset, key: nil, value: Array(value.utf8), headers: headers, timestampMs: ts)
    }

    static func lineage(_ topic: String, _ partition: Int32, _ offset: Int64, connector: String = "im") -> [RecordHeader] {
        [RecordHeader(HeaderNames.connector, connector), RecordHeader(HeaderNames.sourceTopic, topic),
         RecordHeader(HeaderNames.sourcePartition, "\(partition)"), RecordHeader(HeaderNames.sourceOffset, "\(offset)")]
    }

    @Test("raw → repartition → activity (by offset range), state and DLQ; alert and observation by their JSON; others ignored")
    func followsEveryTie() {
        let raw = Self.record(TopicNames.rawIM, 2, 40, ts: 1_000)
        let rekeyed = Self.record(TopicNames.repartition(connector: "im"), 5, 7, ts: 1_010, headers: Self.lineage(TopicNames.rawIM, 2, 40))
        let activity = Self.record(TopicNames.activities, 1, 3, ts: 1_500, headers: [
            RecordHeader(HeaderNames.connector, "im"), RecordHeader(HeaderNames.sourceTopic, TopicNames.repartition(connector: "im")),
            RecordHeader(HeaderNames.sourcePartition, "5"), RecordHeader(HeaderNames.sourceOffset, "9"),
            RecordHeader(HeaderNames.sourceOffsets, "5:2-9"),
        ])
        let state = Self.record(TopicNames.state(connector: "im"), 5, 11, ts: 1_020, headers: Self.lineage(TopicNames.repartition(connector: "im"), 5, 7))
        let dead = Self.record(TopicNames.dlq(connector: "im"), 0, 1, ts: 1_030, headers: Self.lineage(TopicNames.rawIM, 2, 40) + [RecordHeader(HeaderNames.errorCode, "invalid_json")])
        let alert = Self.record(TopicNames.alerts, 0, 4, ts: 1_040, value: #"{"kind":"payload_missing","source_topic":"raw.im.messages.v1","source_partition":2,"source_offset":40}"#)
        let otherAlert = Self.record(TopicNames.alerts, 0, 5, ts: 1_041, value: #"{"kind":"payload_missing","source_topic":"raw.im.messages.v1","source_partition":2,"source_offset":41}"#)
        let unrelated = Self.record(TopicNames.activities, 1, 4, ts: 1_600, headers: Self.lineage(TopicNames.repartition(connector: "im"), 5, 12))
        let hops = RecordTracer.follow(raw, candidates: [unrelated, activity, otherAlert, alert, dead, state, rekeyed])
        #expect(hops.map(\.kind) == [.raw, .alert, .dlq, .repartition, .output, .state])
        #expect(hops.map(\.record.coordinates).contains(activity.coordinates))
        #expect(!hops.map(\.record.coordinates).contains(unrelated.coordinates))
        #expect(!hops.map(\.record.coordinates).contains(otherAlert.coordinates))
        #expect(hops.first { $0.record == activity }?.depth == 2)
        #expect(hops.first { $0.record == activity }?.delayMs == 500)
        #expect(hops[0].line(mask: { $0 }).hasPrefix("raw         raw.im.messages.v1[2]@40"))
        #expect(hops.first { $0.kind == .dlq }?.line(mask: { $0 }).contains("code=invalid_json") == true)
    }
}
