/// Draws the lineage map as one SVG: four columns (upstream systems, raw topics, connectors, and the
/// canonical topics above the hub's own), edges as curves labelled with the route and, when the hub
/// runs, its live figures. Self-contained: no script, no external fonts.
public enum LineageSVG {
    static let columnX = [20, 190, 560, 920]
    static let width = [130, 220, 150, 230]
    static let totalWidth = 1170
    static let rowHeight = 34
    static let boxHeight = 24

    public static func render(_ graph: LineageGraph) -> String {
        var columns: [[LineageGraph.Node]] = [[], [], [], []]
        for node in graph.nodes { columns[column(node.kind)].append(node) }
        let rows = columns.map(\.count).max() ?? 0
        let height = 60 + rows * rowHeight
        var place: [String: (x: Int, y: Int, column: Int)] = [:]
        for (index, members) in columns.enumerated() {
            let top = 50 + (rows - members.count) * rowHeight / 2
            for (row, node) in members.enumerated() { place[node.id] = (columnX[index], top + row * rowHeight, index) }
        }
        var out = [
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(totalWidth)\" height=\"\(height)\" viewBox=\"0 0 \(totalWidth) \(height)\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"11\">",
            "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>",
        ]
        for (index, title) in ["upstream systems", "raw topics", "connectors", "canonical and hub topics"].enumerated() {
            out.append("<text x=\"\(columnX[index])\" y=\"28\" font-weight=\"bold\" fill=\"#374151\">\(title)</text>")
        }
        var labelled = Set<String>()
        for edge in graph.edges {
            guard let from = place[edge.from], let to = place[edge.to] else { continue }
            let x1 = from.x + width[from.column]
            let y1 = from.y + boxHeight / 2
            let x2 = to.x
            let y2 = to.y + boxHeight / 2
            let bend = (x2 - x1) / 2
            let colour = edge.label == "dlq" ? "#dc2626" : (edge.live == nil ? "#9ca3af" : "#2563eb")
            out.append("<path data-from=\"\(escape(edge.from))\" data-to=\"\(escape(edge.to))\" data-label=\"\(escape(edge.label))\" d=\"M\(x1),\(y1) C\(x1 + bend),\(y1) \(x2 - bend),\(y2) \(x2),\(y2)\" fill=\"none\" stroke=\"\(colour)\" stroke-width=\"1.2\"><title>\(escape(LineageGraph.escapedLabel(edge)))</title></path>")
            // One label per target and text, at the target end (edges converge there), cut to fit the gap.
            let text = LineageGraph.escapedLabel(edge)
            if (edge.live != nil || to.column == 3) && labelled.insert("\(edge.to) \(text)").inserted {
                let short = text.count > 44 ? String(text.prefix(43)) + "…" : text
                out.append("<text x=\"\(x2 - 6)\" y=\"\(y2 - 4)\" text-anchor=\"end\" font-size=\"9\" fill=\"\(colour)\">\(escape(short))</text>")
            }
        }
        for node in graph.nodes {
            guard let at = place[node.id] else { continue }
            let fill = ["system": "#f3f4f6", "raw": "#fef3c7", "connector": "#dbeafe", "canonical": "#dcfce7", "hub": "#ede9fe"][node.kind.rawValue] ?? "#ffffff"
            let radius = node.kind == .connector ? 10 : 3
            out.append("<g class=\"node \(node.kind.rawValue)\" id=\"\(escape(node.id))\"><rect x=\"\(at.x)\" y=\"\(at.y)\" width=\"\(width[at.column])\" height=\"\(boxHeight)\" rx=\"\(radius)\" fill=\"\(fill)\" stroke=\"#6b7280\"/><text x=\"\(at.x + 8)\" y=\"\(at.y + 16)\" fill=\"#111827\">\(escape(node.label))</text></g>")
        }
        out.append("</svg>")
        return out.joined(separator: "\n") + "\n"
    }

    static func column(_ kind: LineageGraph.Kind) -> Int {
        switch kind {
        case .system: return 0
        case .raw: return 1
        case .connector: return 2
        case .canonical, .hub: return 3
        }
    }

    static func escape(_ text: String) -> String {
        var out = ""
        for char in text {
            switch char {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(char)
            }
        }
        return out
    }
}
