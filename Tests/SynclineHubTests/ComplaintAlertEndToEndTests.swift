import Foundation
import SynclineAdmin
import SynclineMapping
import SynclineHub
import SynclineKafka
import Testing

/// Issue 17, "a complaint ticket raises one alert": under the hub with the shipped tickets
/// connector, two events of one complaint, a second complaint and an ordinary ticket go in;
/// hub.alerts.v1 holds exactly one `customer_complained` alert per complaint, and the admin API
/// and status page show them with the customer's phone masked.
@Suite("Complaint alerts end to end over the embedded cluster", .serialized)
struct ComplaintAlertEndToEndTests {
    let logger = HubTestSupport.logger

    static func ticket(_ eventID: String, ticket: Int, type: String = "ticket.created", tags: [String]) -> [UInt8] {
        let tagList = tags.map { "\"\($0)\"" }.joined(separator: ",")
        return Array("""
        {"event_id":"\(eventID)","event_type":"\(type)","occurred_at":"2026-11-30T08:00:00Z",
         "ticket":{"id":\(ticket),"subject":"Refund","description":"\\n Refund still missing, call +86 139 1234 5678\\nsecond line",
          "status":"open","priority":"high","type":"problem","tags":[\(tagList)],
          "created_at":"2026-11-30T08:00:00Z","updated_at":"2026-11-30T08:00:00Z",
          "requester":{"id":7,"name":"Han","phone":"+86 139-1234-5678"},"custom_fields":{}}}
        """.utf8)
    }

    @Test("two events of one complaint and one other complaint → exactly two customer_complained alerts, masked on the admin API and listed on the status page")
    func complaintRaisesOneAlert() async throws {
        let text = try String(contentsOf: ProjectFixture.repositoryRoot.appendingPathComponent("connectors/tickets.yaml"), encoding: .utf8)
        let project = try ProjectFixture(connectors: ["tickets.yaml": text])
        let hub = try await ReadyHub.start(project, logger: logger)
        defer { hub.stop() }
        let app = hub.app
        let base = hub.base
        let config = hub.config
        let raw = TopicNames.rawTickets
        // Keyed by ticket, as the help desk publishes: one complaint's events stay on one partition, in order.
        try await HubTestSupport.publish([
            OutputRecord(topic: raw, key: Array("5001".utf8), value: Self.ticket("c1-a", ticket: 5001, tags: ["complaint"])),
            OutputRecord(topic: raw, key: Array("5001".utf8), value: Self.ticket("c1-b", ticket: 5001, type: "ticket.updated", tags: ["complaint", "vip"])),
            OutputRecord(topic: raw, key: Array("5002".utf8), value: Self.ticket("c2-a", ticket: 5002, tags: ["投诉"])),
            OutputRecord(topic: raw, key: Array("5003".utf8), value: Self.ticket("t3-a", ticket: 5003, tags: ["question"])),
        ], config: config)

        // Every input handled (its outputs, alerts included, acknowledged) before the alerts are counted.
        let deadline = ContinuousClock.now + .seconds(60)
        var committed = 0
        while ContinuousClock.now < deadline {
            committed = try await BlockingThread.run {
                let consumer = try KafkaConsumer(config: config, groupID: "syncline.tickets", logger: self.logger)
                defer { consumer.close() }
                let list = (0..<Int32(12)).map { TopicPartition(topic: raw, partition: $0) }
                return try consumer.committed(list).reduce(0) { $0 + Int(max(0, $1.offset ?? 0)) }
            }
            if committed == 4 { break }
            try await Task.sleep(for: .milliseconds(200))
        }
        #expect(committed == 4)
        let alerts = try await HubTestSupport.read(TopicNames.alerts, partitions: 6, config: config)
            .filter { (try? JSONParser.parse($0.value ?? []))?["kind"]?.stringValue == ComplaintAlert.kind }
        #expect(alerts.map(\.keyText).sorted() == ["customer_complained-helpdesk-5001", "customer_complained-helpdesk-5002"])
        let first = try #require(alerts.first { $0.keyText.hasSuffix("5001") })
        let value = try JSONParser.parse(first.value ?? [])
        #expect(value["first_line"]?.stringValue == "Refund still missing, call +86 139 1234 5678")
        #expect(value["tags"] == .array([.string("complaint")]), "raised by the first event of the complaint")
        #expect(value["customer_ref"]?.stringValue == "phone:+8613912345678")

        // The admin API: one row per complaint, personal data masked.
        let answer = try await HTTPTestClient.call("GET", base + "/api/v1/alerts?limit=50")
        #expect(answer.status == 200)
        let body = answer.text
        #expect(body.contains("customer_complained-helpdesk-5001") && body.contains("customer_complained-helpdesk-5002"))
        #expect(!body.contains("1234 5678") && !body.contains("8613912345678"), "phone masked: \(body)")
        let page = try await HTTPTestClient.call("GET", base + "/")
        #expect(page.text.contains("customer_complained"), "the status page counts complaint alerts")
        await app.shutdown()
        try await hub.run.value
    }
}
