import Foundation
import SynclineMapping
import SynclineKafka
import Testing

/// `syncline trace` after a real `syncline run` of the shipped marketing connector: a late lead is
/// followed to its canonical output and latency observation (with the ledger's attribution), a lead
/// without contact details to its DLQ record and ledger entry.
@Suite("syncline trace over the embedded cluster and the ledger", .serialized)
struct TraceEndToEndTests {
    static func lead(_ id: String, occurredMs: Int64, phone: String?) -> [UInt8] {
        let contact = phone.map { #","手机":"\#($0)""# } ?? ""
        return Array(#"{"event_id":"\#(id)","event_type":"form_submit","occurred_at":\#(occurredMs),"fields":{"姓名":"李四"\#(contact)}}"#.utf8)
    }

    @Test("by event id: raw → crm.leads.v1 and hub.latency.v1 with delays and the upstream attribution; by key: raw → the DLQ and the ledger's entry")
    func traceOutputsAndRejections() async throws {
        let marketing = try String(contentsOf: ProjectFixture.repositoryRoot.appendingPathComponent("connectors/marketing.yaml"), encoding: .utf8)
        let project = try ProjectFixture(connectors: ["marketing.yaml": marketing])
        let cluster = try await EmbeddedKafkaCluster.start(brokers: 1)
        try await cluster.createTopics(try TopicCatalog.load(directory: project.root.appendingPathComponent("topics")).topics.map(\.kafkaRequest))
        let config = KafkaConfig(bootstrapServers: cluster.bootstrapServers)
        let nowMs = Int64(Date().timeIntervalSince1970 * 1000)
        let raw = TopicNames.rawMarketing
        try await HubTestSupport.publish([
            OutputRecord(topic: raw, key: Array("k-late".utf8), value: Self.lead("trace-late", occurredMs: nowMs - 600_000, phone: "13800138000")),
            OutputRecord(topic: raw, key: Array("k-bad".utf8), value: Self.lead("trace-bad", occurredMs: nowMs, phone: nil)),
            OutputRecord(topic: raw, key: Array("k-other".utf8), value: Self.lead("trace-other", occurredMs: nowMs, phone: "13900139000")),
        ], config: config)
        let base = ["--root", project.root.path, "--state", project.state.path]
        let run = try HubProcess([
            "run", "--connector", project.root.appendingPathComponent("connectors/marketing.yaml").path, "--brokers", cluster.bootstrapServers,
            "--exit-after", "3", "--log-level", "warning",
        ] + base)
        #expect(try await run.waitForExit(timeout: .seconds(90)) == 0, "stderr: \(run.errors.suffix(2000))")

        let late = try HubProcess(["trace", "trace-late", "--brokers", cluster.bootstrapServers] + base)
        #expect(try await late.waitForExit(timeout: .seconds(120)) == 0, "stdout: \(late.output) stderr: \(late.errors.suffix(2000))")
        let lines = late.output
        #expect(lines.first?.hasPrefix("trace of \(raw)[") == true && lines.first?.hasSuffix(": 2 record(s) made from it") == true, "\(lines)")
        #expect(lines.contains { $0.hasPrefix("raw         \(raw)[") && $0.contains("key=k-late") })
        let output = try #require(lines.first { $0.hasPrefix("  output      \(TopicNames.leads)[") }, "\(lines)")
        #expect(output.contains("ce_id=trace-late") && output.contains("connector=marketing") && output.contains("route=leads") && output.contains("DELAYED"))
        #expect(output.contains("  +"), "a delay after the raw record")
        let observation = try #require(lines.first { $0.hasPrefix("  latency     \(TopicNames.latency)[") }, "\(lines)")
        #expect(observation.contains("attribution=upstream"))
        #expect(lines.contains { $0.hasPrefix("ledger delayed: marketing → \(TopicNames.leads)") && $0.hasSuffix("attributed to upstream") })
        #expect(!lines.contains { $0.contains("trace-other") || $0.contains("k-other") })

        let bad = try HubProcess(["trace", "--key", "k-bad", "--topic", raw, "--brokers", cluster.bootstrapServers] + base)
        #expect(try await bad.waitForExit(timeout: .seconds(120)) == 0, "stdout: \(bad.output) stderr: \(bad.errors.suffix(2000))")
        #expect(bad.output.first?.hasSuffix(": 1 record(s) made from it") == true, "\(bad.output)")
        let dead = try #require(bad.output.first { $0.hasPrefix("  dlq         \(TopicNames.dlq(connector: "marketing"))[") }, "\(bad.output)")
        #expect(dead.contains("code=contact_missing") && dead.contains("field=phone"))
        #expect(bad.output.contains { $0.hasPrefix("ledger dlq: ") && $0.contains("validate/contact_missing field phone") })

        let missing = try HubProcess(["trace", "no-such-event", "--brokers", cluster.bootstrapServers] + base)
        #expect(try await missing.waitForExit(timeout: .seconds(120)) == 1)
        #expect(missing.errors.contains("no such record"))
    }
}
