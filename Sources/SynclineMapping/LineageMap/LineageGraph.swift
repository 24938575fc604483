/// The data lineage map drawn from `topics/` and `connectors/`: upstream systems → raw topics →
/// connectors (their routes on the edges) → canonical topics → the hub's own topics. Built by
/// `LineageGraphBuilder`; rendered as Mermaid, Graphviz dot, JSON or SVG.
public struct LineageGraph: Sendable, Equatable {
    /// Which column a node is drawn in, left to right.
    public enum Kind: String, Sendable, CaseIterable, Codable {
        case system, raw, connector, canonical, hub

        /// The column's heading.
        public var title: String {
            switch self {
            case .system: return "upstream systems"
            case .raw: return "raw topics"
            case .connector: return "connectors"
            case .canonical: return "canonical topics"
            case .hub: return "hub topics"
            }
        }
    }

    /// A system, topic or connector; `id` is safe in Mermaid and dot, `label` is the name.
    public struct Node: Sendable, Equatable, Codable {
        public var id: String
        public var label: String
        public var kind: Kind
    }

    /// Data flowing from one node to another.
    public struct Edge: Sendable, Equatable, Codable {
        public var from: String
        public var to: String
        /// What flows: `reads`, a route name, `dlq`, `latency`, `alerts`, `rekey`, `state`.
        public var label: String
        /// Live figures when the hub runs (`12.5 rec/s`, `3.1% to DLQ`); nil from declarations alone.
        public var live: String?
    }

    public var nodes: [Node]
    public var edges: [Edge]

    public init(nodes: [Node], edges: [Edge]) {
        self.nodes = nodes
        self.edges = edges
    }

    public func node(_ id: String) -> Node? { nodes.first { $0.id == id } }

    /// A node id safe in Mermaid and dot (`raw.marketing.events.v1` → `raw_marketing_events_v1`),
    /// prefixed by kind so a connector and a topic of one name stay apart.
    static func id(_ kind: Kind, _ name: String) -> String {
        kind.rawValue + "_" + String(name.unicodeScalars.map { $0.properties.isAlphabetic || ("0"..."9").contains($0) ? Character($0) : "_" })
    }
}
