/// What the running hub reports about one connector, for the live edges of the lineage map:
/// input rate on its `reads` edges, DLQ share on its `dlq` edge.
public struct LineageLiveFigures: Sendable, Equatable {
    public var connector: String
    public var recordsPerSecond: Double
    public var consumed: Int
    public var produced: Int
    public var deadLettered: Int

    public init(connector: String, recordsPerSecond: Double, consumed: Int, produced: Int, deadLettered: Int) {
        self.connector = connector
        self.recordsPerSecond = recordsPerSecond
        self.consumed = consumed
        self.produced = produced
        self.deadLettered = deadLettered
    }
}

extension LineageGraph {
    /// The map with live figures on the edges of the connectors that report them.
    public func annotated(with figures: [LineageLiveFigures]) -> LineageGraph {
        let byNode = Dictionary(figures.map { (Self.id(.connector, $0.connector), $0) }, uniquingKeysWith: { first, _ in first })
        var copy = self
        for index in copy.edges.indices {
            let edge = copy.edges[index]
            if edge.label == "reads", let live = byNode[edge.to] {
                copy.edges[index].live = Self.rate(live.recordsPerSecond) + " rec/s"
            } else if edge.label == "dlq", let live = byNode[edge.from] {
                let share = live.consumed == 0 ? 0 : Double(live.deadLettered) / Double(live.consumed) * 100
                copy.edges[index].live = "\(Self.rate(share))% of \(live.consumed)"
            } else if let live = byNode[edge.from], copy.node(edge.to)?.kind == .canonical,
                copy.edges.filter({ $0.from == edge.from && copy.node($0.to)?.kind == .canonical }).count == 1
            {
                // The hub counts outputs per connector, not per route: shown only where one topic gets them all.
                copy.edges[index].live = "\(live.produced) out"
            }
        }
        return copy
    }

    static func rate(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        let tenths = Int((value * 10).rounded())
        return "\(tenths / 10).\(abs(tenths % 10))"
    }
}
