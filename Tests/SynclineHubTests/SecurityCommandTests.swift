import Foundation
import SynclineMapping
import SynclineStore
import Testing

@Suite("Security from the command line: syncline up --ingress, verify: none refused off loopback, validate --ingress, dlq list masking, state directory permissions", .serialized)
struct SecurityCommandTests {
    static let open = IngressHarness.connector("open", ingress: "{verify: none}")

    @Test("syncline up --ingress prints its own ingress: line beside kafka: and admin:, serves webhooks there, and forces the state directory to 0700")
    func upPrintsIngress() async throws {
        let project = try IngressHarness.project(connectors: ["open.yaml": Self.open], topics: IngressHarness.topics(["open"]))
        try FileManager.default.createDirectory(at: project.state, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        let hub = try HubProcess([
            "up", "--root", project.root.path, "--state", project.state.path, "--admin", "127.0.0.1:0", "--ingress", "127.0.0.1:0",
            "--embedded-brokers", "1", "--log-level", "warning",
        ])
        let ingress = try await hub.waitForLine(prefix: "ingress: ")
        let admin = try await hub.waitForLine(prefix: "admin: ")
        _ = try await hub.waitForLine(prefix: "kafka: ")
        #expect(ingress.hasPrefix("http://127.0.0.1:") && ingress != admin)
        let accepted = try await HTTPTestClient.call("POST", ingress + "/ingest/open", headers: ["Content-Type": "application/json"])
        #expect(accepted.status == 200 || accepted.status == 400, "the ingress answers webhooks: \(accepted.status) \(accepted.text)")
        #expect(try await HTTPTestClient.call("GET", ingress + "/metrics").status == 404)
        let attributes = try FileManager.default.attributesOfItem(atPath: project.state.path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o700)
        hub.signal(SIGTERM)
        #expect(try await hub.waitForExit() == 0, "stderr: \(hub.errors.suffix(2000))")
    }

    @Test("syncline up refuses verify: none on a public ingress address (exit 2, before Kafka starts); validate --ingress says so too")
    func unverifiedRefused() async throws {
        let project = try IngressHarness.project(connectors: ["open.yaml": Self.open], topics: IngressHarness.topics(["open"]))
        let hub = try HubProcess(["up", "--root", project.root.path, "--state", project.state.path, "--ingress", "0.0.0.0:0"])
        #expect(try await hub.waitForExit() == 2)
        #expect(hub.errors.contains("verify: none"), "\(hub.errors)")
        #expect(!hub.output.contains { $0.hasPrefix("kafka:") })

        let file = project.root.appendingPathComponent("connectors/open.yaml").path
        let publicCheck = try HubProcess(["validate", "--root", project.root.path, "--ingress", "0.0.0.0:8081", file])
        #expect(try await publicCheck.waitForExit() == 1)
        #expect(publicCheck.output.contains { $0.contains("verify: none") && $0.contains("not loopback") }, "\(publicCheck.output)")
        let loopbackCheck = try HubProcess(["validate", "--root", project.root.path, "--ingress", "127.0.0.1:8081", file])
        #expect(try await loopbackCheck.waitForExit() == 0, "\(loopbackCheck.output)")
    }

    @Test("syncline dlq list masks values quoted in reasons, phones and emails; --unmasked shows them")
    func dlqListMasks() async throws {
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("syncline-dlq-\(UUID().uuidString)")
        let ledger = try Ledger(path: Ledger.path(inStateDirectory: state))
        var activity = ConnectorActivity(connector: "signup", atMs: Int64(Date().timeIntervalSince1970 * 1000))
        activity.deadLetters = [DeadLetterNotice(
            connector: "signup", rejection: Rejection(stage: .map, code: "invalid_phone", field: "phone", message: AdminAccessTests.message, rule: "lead"),
            sourceTopic: "raw.marketing.events.v1", sourcePartition: 2, sourceOffset: 9, dlqTopic: "hub.dlq.signup.v1", dlqPartition: 0, dlqOffset: 1,
            mappingVersion: "v1", eventID: "e-1", failedAtMs: activity.atMs)]
        try ledger.recordActivity([activity])
        let masked = try HubProcess(["dlq", "list", "--state", state.path])
        #expect(try await masked.waitForExit() == 0)
        let text = masked.output.joined(separator: "\n")
        #expect(text.contains("phone '***' omitted"), "\(text)")
        for leaked in ["12345", "li.lei@example.com", "+8613812348000"] { #expect(!text.contains(leaked), "\(leaked) in \(text)") }
        let unmasked = try HubProcess(["dlq", "list", "--state", state.path, "--unmasked"])
        #expect(try await unmasked.waitForExit() == 0)
        #expect(unmasked.output.joined(separator: "\n").contains("phone '12345' omitted"))
    }
}
