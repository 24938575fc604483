import Foundation
import SynclineMapping
import SynclineDemo
import SynclineHub
import SynclineKafka
import SynclineStore
import Testing

/// `syncline diff` as a user runs it: the shipped marketing connector against a copy with one
/// deliberately broken rule, over the demo generator's marketing traffic on the embedded cluster.
@Suite("syncline diff over real records", .serialized)
struct DiffEndToEndTests {
    static let levelMap = "map: {高: A, 中: B, 低: C, 很低: D}"
    static let brokenMap = "map: {高: A, 中: B, 低: B}"

    static func shippedMarketing() throws -> String {
        try String(contentsOf: ProjectFixture.repositoryRoot.appendingPathComponent("connectors/marketing.yaml"), encoding: .utf8)
    }

    /// A project with the shipped marketing connector and, beside it, the broken copy.
    static func project() throws -> (ProjectFixture, broken: String, shipped: String) {
        let text = try shippedMarketing()
        let broken = text.replacingOccurrences(of: levelMap, with: brokenMap).replacingOccurrences(of: "marketing-2024.06.1", with: "marketing-broken")
        #expect(broken.contains(brokenMap), "the shipped connector no longer has the map this test breaks")
        let project = try ProjectFixture(connectors: ["marketing.yaml": text])
        let brokenFile = project.root.appendingPathComponent("broken-marketing.yaml")
        try broken.write(to: brokenFile, atomically: true, encoding: .utf8)
        return (project, brokenFile.path, project.root.appendingPathComponent("connectors/marketing.yaml").path)
    }

    static func level(_ record: DemoRecord) -> String? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(record.value)) as? [String: Any],
            let fields = object["fields"] as? [String: Any]
        else { return nil }
        return fields["客户_等级_v2"] as? String
    }

    @Test("one broken rule over 400 demo leads: exactly crm.leads.v1.customer_level changes (低 → B), the valid 很低 leads are the new rejections, exit 1; --accept exits 0")
    func brokenRuleOverDemoTraffic() async throws {
        let nowMs = Int64(Date().timeIntervalSince1970 * 1000)
        var traffic = DemoTraffic(settings: .init(seed: 18), nowMs: nowMs)
        var records: [DemoRecord] = []
        while records.count < 400 {
            let record = traffic.next(nowMs: nowMs)
            if record.connector == "marketing" { records.append(record) }
        }
        let valid = records.filter { !$0.invalid }
        let veryLow = valid.filter { Self.level($0) == "很低" }.count
        let low = valid.filter { Self.level($0) == "低" }.count
        #expect(veryLow > 10 && low > 10 && records.count - valid.count > 3, "the seed gives every case")

        let (project, broken, shipped) = try Self.project()
        let cluster = try await EmbeddedKafkaCluster.start(brokers: 1)
        try await cluster.createTopics(try TopicCatalog.load(directory: project.root.appendingPathComponent("topics")).topics.map(\.kafkaRequest))
        let config = KafkaConfig(bootstrapServers: cluster.bootstrapServers)
        try await HubTestSupport.publish(records.map(\.output), config: config)

        let base = ["--brokers", cluster.bootstrapServers, "--last", "1000", "--root", project.root.path, "--state", project.state.path]
        let diff = try HubProcess(["diff", "--connector", broken, "--against", shipped] + base)
        #expect(try await diff.waitForExit(timeout: .seconds(120)) == 1, "stdout: \(diff.output) stderr: \(diff.errors.suffix(2000))")
        let out = diff.output
        #expect(out.contains("records: 400 · rejected before: \(records.count - valid.count) · after: \(records.count - valid.count + veryLow)"), "\(out)")
        // Exactly one field changes, and no fill rate moves.
        #expect(out.filter { $0.hasPrefix("  crm.") } == ["  crm.leads.v1.customer_level: \(low) of \(valid.count - veryLow)"], "\(out)")
        #expect(out.contains { $0.contains(": \"C\" → \"B\"") })
        #expect(out.contains("new rejections (delivered before, DLQ now): \(veryLow)"))
        #expect(out.contains { $0.hasSuffix("(field customer_level): \(veryLow)") }, "\(out)")
        #expect(out.contains("no longer rejected (DLQ before, delivered now): none"))
        #expect(out.contains("fill rates: unchanged"))
        #expect(out.contains("fields no output carries any more: none"))
        #expect(diff.errors.contains("\(veryLow) record(s) would newly go to hub.dlq.marketing.v1"))

        // --since reads the same records (offsets for the time found by searching: the mock has no lookup).
        let since = try HubProcess(["diff", "--connector", broken, "--against", shipped, "--brokers", cluster.bootstrapServers, "--since", "10m"]
            + ["--root", project.root.path, "--state", project.state.path])
        #expect(try await since.waitForExit(timeout: .seconds(120)) == 1, "stderr: \(since.errors.suffix(2000))")
        #expect(since.output.contains("new rejections (delivered before, DLQ now): \(veryLow)"), "\(since.output)")

        let accepted = try HubProcess(["diff", "--connector", broken, "--against", shipped, "--accept"] + base)
        #expect(try await accepted.waitForExit(timeout: .seconds(120)) == 0, "stderr: \(accepted.errors.suffix(2000))")
        #expect(accepted.output.contains("accepted: \(veryLow) record(s) would newly go to hub.dlq.marketing.v1 (--accept)"))
    }

    @Test("without --against it compares with the version the ledger saw deployed (here over the samples folder); with no ledger it says to use --against")
    func againstTheDeployedVersion() async throws {
        let (project, broken, _) = try Self.project()
        let samples = ProjectFixture.repositoryRoot.appendingPathComponent("connectors/samples/marketing").path
        let args = ["diff", "--connector", broken, "--samples", samples, "--root", project.root.path, "--state", project.state.path]
        let none = try HubProcess(args)
        #expect(try await none.waitForExit(timeout: .seconds(60)) == 2)
        #expect(none.errors.contains("no deployed version of marketing in the ledger"), "\(none.errors)")
        #expect(none.errors.contains("--against OLD.yaml"))

        let ledger = try Ledger(path: Ledger.path(inStateDirectory: project.state))
        try ledger.recordMappingDeployed(
            connector: "marketing", version: "marketing-2024.06.1", file: "connectors/marketing.yaml", content: try Self.shippedMarketing(), atMs: 1_764_547_200_000)
        let diff = try HubProcess(args)
        #expect(try await diff.waitForExit(timeout: .seconds(60)) == 0, "stdout: \(diff.output) stderr: \(diff.errors.suffix(2000))")
        #expect(diff.output.first == "connector marketing: marketing-2024.06.1 (deployed 2025-12-01T00:00:00.000Z, from the ledger) → marketing-broken (\(broken))")
        // One valid sample has 低: its level changes; nothing is newly rejected.
        #expect(diff.output.filter { $0.hasPrefix("  crm.") } == ["  crm.leads.v1.customer_level: 1 of 5"], "\(diff.output)")
        #expect(diff.output.contains("new rejections (delivered before, DLQ now): none"))
    }
}
