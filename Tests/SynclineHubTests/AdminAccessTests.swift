import Foundation
import Logging
import SynclineAdmin
import SynclineMapping
import SynclineHub
import SynclineKafka
import Testing

@Suite("Admin reads behind the token off loopback, and personal data masked in the API unless the token asks for it", .serialized)
struct AdminAccessTests {
    static let message = "connector signup, route lead, field phone (fields.手机): phone '12345' omitted: '12345': too short; from li.lei@example.com at +8613812348000"

    /// A DLQ index row quoting a rejected value, a phone and an email, written to the hub's real ledger.
    static func recordRejection(_ hub: IngressHarness) throws {
        var activity = ConnectorActivity(connector: "open", atMs: Int64(Date().timeIntervalSince1970 * 1000))
        activity.deadLetters = [DeadLetterNotice(
            connector: "open", rejection: Rejection(stage: .map, code: "invalid_phone", field: "phone", message: message, rule: "lead"),
            sourceTopic: "raw.hooks.open.v1", sourcePartition: 0, sourceOffset: 7, dlqTopic: "hub.dlq.open.v1", dlqPartition: 0, dlqOffset: 3,
            mappingVersion: "v1", eventID: "evt-dlq-1", failedAtMs: activity.atMs)]
        try hub.app.ledger.recordActivity([activity])
    }

    /// An unlinked-call alert carrying the caller's phone, on the real `hub.alerts.v1`.
    static func publishAlert(_ hub: IngressHarness) async throws {
        let alert = #"{"alert_id":"a-1","kind":"unlinked_call","severity":"warning","connector":"telephony","message":"connected call with +14155550123 links to no customer","external_phone":"+14155550123","external_id":"wmEXTERNAL42","call_id":"CA-9"}"#
        try await HubTestSupport.publish(
            [OutputRecord(topic: TopicNames.alerts, key: Array("a-1".utf8), value: Array(alert.utf8))], config: hub.app.kafkaConfig)
    }

    @Test("admin on a non-loopback address: /api/v1/dlq, /api/v1/alerts, /api/v1/latency/samples, / and /metrics answer 401 without the token (a Bearer challenge); the token as Bearer or as a Basic password opens them; probes stay open; mutations take Bearer only")
    func readsNeedTokenOffLoopback() async throws {
        let token = "admin-\(UUID().uuidString)"
        let hub = try await IngressHarness.start(
            connectors: ["open.yaml": IngressHarness.connector("open", ingress: "{verify: none}")],
            topics: IngressHarness.topics(["open"]), token: token, adminHost: "0.0.0.0")
        try Self.recordRejection(hub)
        let bearer = ["Authorization": "Bearer \(token)"]
        let basic = ["Authorization": "Basic " + Data("ops:\(token)".utf8).base64EncodedString()]
        for path in [
            "/api/v1/dlq", "/api/v1/alerts", "/api/v1/latency/samples", "/api/v1/connectors", "/api/v1/channels/health", "/", "/metrics",
            "/lineage", "/lineage.svg", "/api/v1/lineage",
        ] {
            let open = try await hub.admin("GET", path)
            #expect(open.status == 401, "GET \(path) without the token answered \(open.status)")
            #expect(!open.text.contains("12345") && !open.text.contains("li.lei"))
            #expect(try await hub.admin("GET", path, headers: ["Authorization": "Bearer wrong-\(token)"]).status == 401)
            #expect(try await hub.admin("GET", path, headers: bearer).status == 200, "GET \(path) with the token")
            #expect(try await hub.admin("GET", path, headers: basic).status == 200, "GET \(path) with Basic")
        }
        let challenge = try await hub.admin("GET", "/api/v1/dlq")
        #expect(challenge.headers["www-authenticate"] == "Bearer", "\(challenge.headers)")
        #expect(try await hub.admin("GET", "/healthz").status == 200)
        #expect([200, 503].contains(try await hub.admin("GET", "/readyz").status))
        #expect(try await hub.admin("POST", "/api/v1/connectors/open/pause", headers: basic).status == 401)
        #expect(try await hub.admin("POST", "/api/v1/connectors/open/resume", headers: bearer).status == 200)
        try await hub.stop()
    }

    @Test("the API masks DLQ reasons and alert phones and ids by default; ?unmasked=1 needs the token (401 without it, 403 when none is configured) and then shows them; DLQ headers on the topic are not the API's business")
    func maskedUnlessTokenAsks() async throws {
        let token = "admin-\(UUID().uuidString)"
        let hub = try await IngressHarness.start(
            connectors: ["open.yaml": IngressHarness.connector("open", ingress: "{verify: none}")],
            topics: IngressHarness.topics(["open"]), token: token)
        try Self.recordRejection(hub)
        try await Self.publishAlert(hub)

        let masked = try await hub.admin("GET", "/api/v1/dlq")
        #expect(masked.status == 200)
        for leaked in ["12345", "li.lei@example.com", "+8613812348000"] {
            #expect(!masked.text.contains(leaked), "\(leaked) in \(masked.text)")
        }
        #expect(masked.text.contains("phone '***' omitted"))
        #expect(masked.text.contains("field phone"), "field names stay: \(masked.text)")
        #expect(try await hub.admin("GET", "/api/v1/dlq?unmasked=1").status == 401)
        let unmasked = try await hub.admin("GET", "/api/v1/dlq?unmasked=1", headers: ["Authorization": "Bearer \(token)"])
        #expect(unmasked.status == 200)
        #expect(unmasked.text.contains("phone '12345' omitted"))
        #expect(unmasked.text.contains("li.lei@example.com"))

        var alerts = try await hub.admin("GET", "/api/v1/alerts?limit=10")
        let deadline = ContinuousClock.now + .seconds(30)
        while !alerts.text.contains("a-1") && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(300))
            alerts = try await hub.admin("GET", "/api/v1/alerts?limit=10")
        }
        #expect(alerts.text.contains("a-1"))
        for leaked in ["+14155550123", "wmEXTERNAL42"] {
            #expect(!alerts.text.contains(leaked), "\(leaked) in \(alerts.text)")
        }
        #expect(alerts.text.contains("CA-9"), "the hub's own ids stay")
        let openAlerts = try await hub.admin("GET", "/api/v1/alerts?limit=10&unmasked=1", headers: ["Authorization": "Bearer \(token)"])
        #expect(openAlerts.text.contains("+14155550123") && openAlerts.text.contains("wmEXTERNAL42"))
        try await hub.stop()

        let tokenless = try await IngressHarness.start(
            connectors: ["open.yaml": IngressHarness.connector("open", ingress: "{verify: none}")],
            topics: IngressHarness.topics(["open"]))
        let refused = try await tokenless.admin("GET", "/api/v1/dlq?unmasked=1")
        #expect(refused.status == 403)
        #expect(refused.text.contains("SYNCLINE_ADMIN_TOKEN"))
        try await tokenless.stop()
    }
}
