/// Builds the lineage map from the declarations: each raw topic's upstream system (its name's
/// `raw.<system>.…` segment; an external topic is its own system), the connectors reading it, the
/// topics each route writes, every connector's DLQ and latency topics, and for a stateful connector
/// its repartition and changelog topics and the alerts it raises.
public enum LineageGraphBuilder {
    public static func build(catalog: TopicCatalog, specs: [ConnectorSpec]) -> LineageGraph {
        var nodes: [LineageGraph.Node] = []
        var edges: [LineageGraph.Edge] = []
        var seen = Set<String>()
        func add(_ kind: LineageGraph.Kind, _ name: String) -> String {
            let id = LineageGraph.id(kind, name)
            if seen.insert(id).inserted { nodes.append(.init(id: id, label: name, kind: kind)) }
            return id
        }
        func topic(_ name: String) -> String { add(kind(of: name), name) }
        func edge(_ from: String, _ to: String, _ label: String) {
            let item = LineageGraph.Edge(from: from, to: to, label: label, live: nil)
            if !edges.contains(item) { edges.append(item) }
        }
        for spec in specs.sorted(by: { $0.name < $1.name }) {
            let connector = add(.connector, spec.name)
            for input in spec.inputTopics {
                let raw = topic(input)
                edge(add(.system, system(of: input)), raw, "publishes")
                edge(raw, connector, "reads")
            }
            if spec.isStateful {
                edge(connector, topic(TopicNames.repartition(connector: spec.name)), "rekey")
                edge(connector, topic(TopicNames.state(connector: spec.name)), "state")
                edge(connector, topic(TopicNames.alerts), "alerts")
            } else {
                for output in spec.processorOutputTopics { edge(connector, topic(output), spec.processor ?? "processor") }
            }
            var routes: [String: [String]] = [:]
            for route in spec.routes { routes[route.topic, default: []].append(route.name) }
            for route in spec.routes where routes[route.topic] != nil {
                edge(connector, topic(route.topic), (routes[route.topic] ?? []).joined(separator: ", "))
                routes[route.topic] = nil
            }
            edge(connector, topic(spec.dlqTopic), "dlq")
            if spec.observesLatency { edge(connector, topic(TopicNames.latency), "latency") }
        }
        // Declared topics no connector names still belong on the map (the CRM's customer changelog).
        for declared in catalog.topics where !seen.contains(LineageGraph.id(kind(of: declared.name), declared.name)) {
            _ = topic(declared.name)
        }
        let order = Dictionary(uniqueKeysWithValues: LineageGraph.Kind.allCases.enumerated().map { ($1, $0) })
        nodes.sort { (order[$0.kind] ?? 0, $0.label) < (order[$1.kind] ?? 0, $1.label) }
        return LineageGraph(nodes: nodes, edges: edges)
    }

    /// `raw.marketing.events.v1` → raw; `crm.leads.v1` → canonical; `hub.…` → hub; an external
    /// topic (`naming: external`, or undeclared) is drawn with the raw topics.
    static func kind(of name: String) -> LineageGraph.Kind {
        switch TopicSpec.kind(of: name) {
        case .canonical: return .canonical
        case .hub: return .hub
        case .raw, .none: return .raw
        }
    }

    /// `raw.marketing.events.v1` → `marketing`; any other name is its own system.
    static func system(of topic: String) -> String {
        let parts = topic.split(separator: ".")
        if TopicSpec.kind(of: topic) == .raw, parts.count > 1 { return String(parts[1]) }
        return topic
    }
}
