import Foundation
import SynclineAdmin
import SynclineMapping
import SynclineHub
import SynclineKafka
import Testing

/// Issue 17, "a lead is assigned per the rules and `assign --explain` shows why; a rule whose
/// weight is zero raises the skipped-rule alert": the shipped assignment connector under the hub,
/// canonical leads on crm.leads.v1, decisions on crm.lead_assignments.v1 with lineage, the
/// skipped-rule counters the Prometheus alert reads, and the CLI's decision path for one lead read
/// back from Kafka.
@Suite("Lead assignment end to end over the embedded cluster", .serialized)
struct LeadAssignmentEndToEndTests {
    let logger = HubTestSupport.logger

    static func lead(_ id: String, city: String?, level: String = "B", interest: String = "雅思 7 分冲刺") -> OutputRecord {
        var members: [(String, JSONValue)] = [
            ("lead_id", .string(id)), ("event_id", .string("ev-\(id)")), ("phone", .string("+8613800138000")),
            ("interest", .string(interest)), ("customer_level", .string(level)), ("source_channel", .string("baidu")),
            ("occurred_at", .string("2026-12-01T02:00:00Z")),
        ]
        if let city { members.append(("city", .string(city))) }
        return OutputRecord(topic: TopicNames.leads, key: Array(id.utf8), value: JSONWriter.bytes(orderedObject: members))
    }

    @Test("east leads go round robin, a north lead meets weight 0 until 2027-01-01 and lands in the pool, counted as skipped; assign --explain --lead says why")
    func leadsAreAssigned() async throws {
        let text = try String(contentsOf: ProjectFixture.repositoryRoot.appendingPathComponent("connectors/assignment.yaml"), encoding: .utf8)
        let project = try ProjectFixture(connectors: ["assignment.yaml": text])
        let hub = try await ReadyHub.start(project, logger: logger)
        defer { hub.stop() }
        let app = hub.app
        let base = hub.base
        let config = hub.config
        var leads = (0..<16).map { Self.lead("east-\($0)", city: "上海") }
        leads += (0..<3).map { Self.lead("north-\($0)", city: "北京") }
        leads.append(Self.lead("nocity-1", city: nil))
        leads.append(Self.lead("vip-1", city: "杭州", level: "A", interest: "Python 数据分析"))
        try await HubTestSupport.publish(leads, config: config)

        let decisions = try await HubTestSupport.waitForTopic(TopicNames.leadAssignments, count: leads.count, partitions: 12, config: config)
        #expect(decisions.count == leads.count)
        var byLead: [String: JSONValue] = [:]
        for record in decisions { byLead[record.keyText] = try JSONParser.parse(record.value ?? []) }
        let eastOwners = (0..<16).compactMap { byLead["east-\($0)"]?["owner"]?.stringValue }
        #expect(eastOwners.count == 16 && Set(eastOwners) == ["li.wei", "wang.fang"], "\(eastOwners)")
        #expect(byLead["east-0"]?["rule"]?.stringValue == "east" && byLead["east-0"]?["team"]?.stringValue == "east")
        for id in ["north-0", "north-1", "north-2", "nocity-1"] {
            #expect(byLead[id]?["pool"]?.stringValue == "unassigned", "\(id)")
            #expect(byLead[id]?["owner"] == .null && byLead[id]?["rule"]?.stringValue == "pool", "\(id)")
        }
        let skipped = byLead["north-0"]?["skipped_rules"]?.arrayValue ?? []
        #expect(skipped.contains { $0["rule"]?.stringValue == "north" && $0["reason"]?.stringValue == "zero_weight" })
        #expect(byLead["vip-1"]?["owner"]?.stringValue == "zhao.lei")
        // Lineage: each decision names the lead it came from.
        let first = try #require(decisions.first { $0.keyText == "east-0" })
        #expect(first.headers.last(named: HeaderNames.sourceTopic)?.text == TopicNames.leads)
        #expect(first.headers.last(named: HeaderNames.connector)?.text == "assignment")
        #expect(first.headers.last(named: HeaderNames.sourceOffset)?.text != nil)

        // The counters the Prometheus alerts read: the north rule skipped for 3 of 21 leads (> 5%).
        let metrics = try await HTTPTestClient.call("GET", base + "/metrics").text
        let north = metrics.split(separator: "\n").filter {
            $0.hasPrefix(MetricNames.assignmentRuleSkipped + "{") && $0.contains(#"rule="north""#) && $0.contains(#"reason="zero_weight""#)
        }
        #expect(north.count == 1 && north.first?.hasSuffix(" 3") == true, "\(north)")
        #expect(metrics.contains(MetricNames.assignmentPoolIntake))
        #expect(metrics.contains(#"field="city""#), "empty rate of the city field the rules read")

        // `syncline assign --explain --lead` reads the lead back from crm.leads.v1 and prints the path.
        let explain = try HubProcess([
            "assign", "--explain", "--lead", "north-1", "--brokers", app.bootstrapServers, "--root", project.root.path, "--log-level", "error",
        ])
        #expect(try await explain.waitForExit() == 0, "\(explain.errors)")
        let lines = explain.output
        #expect(lines.contains("4. north: skipped (zero_weight) — weight 0 for every owner of team north until 2027-01-01"), "\(lines)")
        #expect(lines.contains("→ pool unassigned (no rule took the lead)"), "\(lines)")
        #expect(lines.contains("2. east: skipped (no_match) — region is north, rule wants east"), "\(lines)")
        await app.shutdown()
        try await hub.run.value
    }
}
