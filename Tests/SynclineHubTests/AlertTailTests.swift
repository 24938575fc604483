import Foundation
import SynclineMapping
import SynclineHub
import SynclineKafka
import Testing

/// The admin API's alert list (`AlertTail`, read from `hub.alerts.v1` on a real embedded cluster):
/// an alert raised again after a redelivery or a partition move is one row, the newest.
@Suite("Alert tail: one row per alert id")
struct AlertTailTests {
    static func alert(_ id: String, raisedAt: String, message: String) -> OutputRecord {
        OutputRecord(topic: TopicNames.alerts, key: Array(id.utf8), value: Array(
            #"{"alert_id":"\#(id)","kind":"unlinked_call","severity":"warning","connector":"telephony","message":"\#(message)","raised_at":"\#(raisedAt)"}"#.utf8))
    }

    @Test("the same alert id raised twice (a redelivered report, another instance) is listed once, with its newest record")
    func oneRowPerAlertID() async throws {
        let cluster = try await EmbeddedKafkaCluster.start(brokers: 1)
        try await cluster.createTopic(TopicNames.alerts, partitions: 2)
        let config = KafkaConfig(bootstrapServers: cluster.bootstrapServers)
        try await HubTestSupport.publish([
            Self.alert("unlinked_call-A", raisedAt: "2026-12-01T10:00:00.000Z", message: "first"),
            Self.alert("unlinked_call-B", raisedAt: "2026-12-01T10:00:01.000Z", message: "only"),
        ], config: config)
        try await HubTestSupport.publish([Self.alert("unlinked_call-A", raisedAt: "2026-12-01T10:05:00.000Z", message: "again")], config: config)
        let tail = AlertTail(config: config, partitions: 2, cacheMs: 0, logger: HubTestSupport.logger)
        let alerts = try await tail.latest(limit: 50)
        #expect(alerts.compactMap(\.alertID).sorted() == ["unlinked_call-A", "unlinked_call-B"])
        #expect(alerts.first { $0.alertID == "unlinked_call-A" }?.message == "again", "the newest record of the id")
    }
}
