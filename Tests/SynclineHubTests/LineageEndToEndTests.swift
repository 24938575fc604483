import Foundation
import SynclineMapping
import SynclineKafka
import Testing

/// `syncline lineage` on the shipped project, and the lineage page of a running hub with live
/// figures, also as headless Chromium renders it (screenshot in `.build/test-output/lineage-page.png`).
@Suite("syncline lineage and the lineage page", .serialized)
struct LineageEndToEndTests {
    @Test("text forms and --field on the shipped topics and connectors")
    func textForms() async throws {
        let root = ProjectFixture.repositoryRoot.path
        let mermaid = try HubProcess(["lineage", "--root", root])
        #expect(try await mermaid.waitForExit() == 0, "\(mermaid.errors)")
        #expect(mermaid.output.first == "flowchart LR")
        #expect(mermaid.output.contains("  connector_marketing -->|\"leads\"| canonical_crm_leads_v1"))
        #expect(mermaid.output.contains("  raw_raw_marketing_events_v1 -->|\"reads\"| connector_marketing"))
        let dot = try HubProcess(["lineage", "--root", root, "--format", "dot"])
        #expect(try await dot.waitForExit() == 0)
        #expect(dot.output.contains("  connector_erp -> hub_hub_dlq_erp_v1 [label=\"dlq\"];"), "\(dot.output)")
        let field = try HubProcess(["lineage", "--root", root, "--field", "crm.leads.v1.phone"])
        #expect(try await field.waitForExit() == 0, "\(field.errors)")
        #expect(field.output.contains { $0.hasPrefix("marketing / route leads  (") && $0.hasSuffix("routes[0].fields.phone)") }, "\(field.output)")
        #expect(field.output.contains { $0.hasPrefix("  source: from fields.手机 | fields.手机号") })
        #expect(field.output.contains { $0.hasPrefix("  normalisation: type phone; E.164, region CN") && $0.contains("on_error: omit") })
        let wrong = try HubProcess(["lineage", "--root", root, "--field", "crm.leads.v1.nope"])
        #expect(try await wrong.waitForExit() == 2)
    }

    @Test("GET /lineage on a running hub: the SVG with the connector's live input rate and DLQ share once records flow, rendered in headless Chromium")
    func livePage() async throws {
        let project = try ProjectFixture(connectors: ["mirror.yaml": ProjectFixture.mirror])
        let hub = try HubProcess(["up", "--root", project.root.path, "--state", project.state.path, "--admin", "127.0.0.1:0", "--log-level", "warning"])
        let bootstrap = try await hub.waitForLine(prefix: "kafka: ")
        let admin = try await hub.waitForLine(prefix: "admin: ")
        let config = KafkaConfig(bootstrapServers: bootstrap)
        // 30 records, 3 of them empty: payload_missing in the DLQ (10 %).
        let records = (0..<30).map { index in
            OutputRecord(topic: TopicNames.rawMarketing, key: Array("k\(index)".utf8), value: index % 10 == 0 ? [] : Array("{\"n\":\(index)}".utf8))
        }
        try await HubTestSupport.publish(records, config: config)
        var page = try await HTTPTestClient.call("GET", admin + "/lineage")
        let deadline = ContinuousClock.now + .seconds(60)
        while !page.text.contains("10.0% of 30") && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(200))
            page = try await HTTPTestClient.call("GET", admin + "/lineage")
        }
        #expect(page.status == 200)
        #expect(page.text.contains("<svg"))
        #expect(page.text.contains("10.0% of 30"), "\(page.text.suffix(3000))")
        #expect(page.text.contains(" out</text>"), "the route edge carries the outputs")
        #expect(page.text.contains("id=\"connector_mirror\""))
        let answer = try await HTTPTestClient.call("GET", admin + "/api/v1/lineage")
        let document = try JSONSerialization.jsonObject(with: answer.body) as? [String: Any]
        let edges = document?["edges"] as? [[String: Any]] ?? []
        #expect(edges.contains { $0["label"] as? String == "reads" && ($0["live"] as? String)?.hasSuffix("rec/s") == true })

        // The page as a browser renders it (headless Chromium, as the status page is checked), and its screenshot.
        let chromium = try #require(Chromium.find(), "headless Chromium is needed: run `ops/setup --test` (Debian package chromium)")
        let dom = try await chromium.dumpDOM(admin + "/lineage")
        #expect(dom.contains("<svg"), "no SVG in the rendered page: \(dom.prefix(500))")
        #expect(dom.contains(#"data-from="connector_mirror" data-to="hub_hub_dlq_marketing_v1" data-label="dlq""#))
        #expect(dom.contains("dlq · 10.0% of 30</title>"), "the DLQ edge's live share in the rendered SVG")
        for topic in try TopicCatalog.load(directory: project.root.appendingPathComponent("topics")).topics {
            #expect(dom.contains(">\(topic.name)</text>"), "topic \(topic.name) not drawn")
        }
        let directory = StatusPageBrowserTests.outputDirectory
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let shot = directory.appendingPathComponent("lineage-page.png")
        try await chromium.screenshot(admin + "/lineage", to: shot)
        let size = (try FileManager.default.attributesOfItem(atPath: shot.path)[.size] as? NSNumber)?.intValue ?? 0
        #expect(size > 10_000, "screenshot at \(shot.path) is \(size) bytes")

        hub.signal(SIGTERM)
        #expect(try await hub.waitForExit() == 0)
    }
}
