import Foundation

extension LineageGraph {
    /// Mermaid flowchart (GitHub renders it in Markdown), one subgraph per column.
    public var mermaid: String {
        var out = ["flowchart LR"]
        for kind in Kind.allCases {
            let members = nodes.filter { $0.kind == kind }
            guard !members.isEmpty else { continue }
            out.append("  subgraph \(kind.rawValue)[\"\(kind.title)\"]")
            for node in members {
                out.append(kind == .connector ? "    \(node.id)[[\"\(node.label)\"]]" : "    \(node.id)[\"\(node.label)\"]")
            }
            out.append("  end")
        }
        for edge in edges {
            out.append("  \(edge.from) -->|\"\(Self.escapedLabel(edge))\"| \(edge.to)")
        }
        return out.joined(separator: "\n") + "\n"
    }

    /// Graphviz dot, left to right, one rank per column.
    public var dot: String {
        var out = ["digraph lineage {", "  rankdir=LR;", "  node [fontname=\"Helvetica\", fontsize=10];"]
        for kind in Kind.allCases {
            let members = nodes.filter { $0.kind == kind }
            guard !members.isEmpty else { continue }
            out.append("  { rank=same;")
            for node in members {
                let shape = kind == .connector ? "box, style=\"rounded,filled\", fillcolor=\"#dbeafe\"" : (kind == .system ? "ellipse" : "box")
                out.append("    \(node.id) [label=\"\(node.label)\", shape=\(shape)];")
            }
            out.append("  }")
        }
        for edge in edges {
            out.append("  \(edge.from) -> \(edge.to) [label=\"\(Self.escapedLabel(edge))\"];")
        }
        out.append("}")
        return out.joined(separator: "\n") + "\n"
    }

    /// `{"nodes":[…],"edges":[…]}` with stable key order.
    public var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(Document(nodes: nodes, edges: edges))) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    struct Document: Codable {
        var nodes: [Node]
        var edges: [Edge]
    }

    /// The edge's label with its live figures, quotes made safe for Mermaid and dot.
    static func escapedLabel(_ edge: Edge) -> String {
        let text = edge.live.map { "\(edge.label) · \($0)" } ?? edge.label
        return text.replacingOccurrences(of: "\"", with: "'")
    }
}
