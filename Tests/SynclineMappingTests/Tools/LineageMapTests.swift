import Foundation
import SynclineMapping
import Testing

#if canImport(FoundationXML)
import FoundationXML
#endif

/// The lineage map and field lineage drawn from the shipped topics/ and connectors/.
@Suite("Lineage map (syncline lineage)")
struct LineageMapTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    static func shipped() throws -> (TopicCatalog, [ConnectorSpec]) {
        (try TopicCatalog.load(directory: root.appendingPathComponent("topics")),
         try ConnectorSpecParser.loadAll(directory: root.appendingPathComponent("connectors")))
    }

    @Test("systems → raw topics → connectors → canonical and hub topics, with routes, DLQs and the stateful hops")
    func graphFromDeclarations() throws {
        let (catalog, specs) = try Self.shipped()
        let graph = LineageGraphBuilder.build(catalog: catalog, specs: specs)
        func has(_ from: String, _ to: String, _ label: String) -> Bool {
            graph.edges.contains { graph.node($0.from)?.label == from && graph.node($0.to)?.label == to && $0.label == label }
        }
        #expect(has("marketing", TopicNames.rawMarketing, "publishes"))
        #expect(has(TopicNames.rawMarketing, "marketing", "reads"))
        #expect(has("marketing", TopicNames.leads, "leads"))
        #expect(has("marketing", TopicNames.dlq(connector: "marketing"), "dlq"))
        #expect(has("marketing", TopicNames.latency, "latency"))
        #expect(has("im", TopicNames.repartition(connector: "im"), "rekey"))
        #expect(has("im", TopicNames.state(connector: "im"), "state"))
        #expect(has("telephony", TopicNames.alerts, "alerts"))
        // The assignment processor reads a canonical topic and keeps no state: no re-keying hop,
        // no changelog (topics that do not exist), one edge to its decisions.
        #expect(has(TopicNames.leads, "assignment", "reads"))
        #expect(has("assignment", TopicNames.leadAssignments, "assignment"))
        #expect(!graph.edges.contains { graph.node($0.from)?.label == "assignment" && ($0.label == "rekey" || $0.label == "state") })
        #expect(graph.nodes.allSatisfy { $0.kind == .connector || $0.kind == .system || catalog[$0.label] != nil }, "every topic drawn is declared")
        // Every declared topic is on the map, each in its column.
        for topic in catalog.topics {
            #expect(graph.nodes.contains { $0.label == topic.name && $0.kind != .connector && $0.kind != .system }, "\(topic.name)")
        }
        #expect(graph.nodes.first { $0.label == TopicNames.customers }?.kind == .canonical)
        #expect(graph.nodes.filter { $0.kind == .connector }.map(\.label) == specs.map(\.name).sorted())
        // Text forms name the same nodes and edges.
        #expect(graph.mermaid.contains("connector_marketing -->|\"leads\"| canonical_crm_leads_v1"))
        #expect(graph.dot.contains("connector_marketing -> canonical_crm_leads_v1 [label=\"leads\"];"))
        let json = try JSONSerialization.jsonObject(with: Data(graph.json.utf8)) as? [String: Any]
        #expect((json?["edges"] as? [Any])?.count == graph.edges.count)
    }

    @Test("live figures go on the reads, routes and dlq edges; the SVG is well-formed XML with every node")
    func liveFiguresAndSVG() throws {
        let (catalog, specs) = try Self.shipped()
        let graph = LineageGraphBuilder.build(catalog: catalog, specs: specs)
            .annotated(with: [LineageLiveFigures(connector: "marketing", recordsPerSecond: 12.46, consumed: 200, produced: 190, deadLettered: 10)])
        let reads = graph.edges.first { $0.to == "connector_marketing" && $0.label == "reads" }
        #expect(reads?.live == "12.5 rec/s")
        #expect(graph.edges.first { $0.from == "connector_marketing" && $0.label == "dlq" }?.live == "5.0% of 200")
        #expect(graph.edges.first { $0.from == "connector_marketing" && $0.label == "leads" }?.live == "190 out")
        #expect(graph.edges.filter { $0.live != nil }.count == 3)
        let svg = LineageSVG.render(graph)
        let parser = XMLParser(data: Data(svg.utf8))
        #expect(parser.parse(), "\(parser.parserError.map { "\($0)" } ?? "")")
        for node in graph.nodes { #expect(svg.contains("id=\"\(node.id)\"")) }
        #expect(svg.contains("5.0% of 200"))
    }

    @Test("--field crm.leads.v1.phone: the marketing route, its source paths, phone normalisation, on_error and the contact check")
    func fieldLineage() throws {
        let (catalog, specs) = try Self.shipped()
        let writers = FieldLineage.writers(of: "crm.leads.v1.phone", specs: specs, catalog: catalog)
        #expect(writers.map { "\($0.connector)/\($0.route)" } == ["marketing/leads"])
        let phone = try #require(writers.first)
        #expect(phone.source == "from fields.手机 | fields.手机号 | fields.手机号码 | fields.联系电话 | fields.电话 | fields.phone | fields.mobile")
        #expect(phone.normalisation.contains("type phone"))
        #expect(phone.normalisation.contains("E.164, region CN"))
        #expect(phone.normalisation.contains("on_error: omit"))
        #expect(phone.rules.contains { $0.hasPrefix("check phone != null or email != null → contact_missing") })
        #expect(phone.rules.contains { $0.hasPrefix("when event_type in") })
        #expect(phone.location.hasSuffix("fields.phone"))
        let level = FieldLineage.writers(of: "crm.leads.v1.customer_level", specs: specs, catalog: catalog)
        #expect(level.first?.normalisation.contains("map 中→B, 低→C, 很低→D, 高→A") == true)
        #expect(FieldLineage.writers(of: "crm.leads.v1.no_such_field", specs: specs, catalog: catalog).isEmpty)
    }
}
