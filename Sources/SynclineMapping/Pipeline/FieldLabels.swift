/// A connector's field-completeness labels, indexed: route by route, each route's schema fields in
/// order (`leads.phone`, …). Built once with the mapping; records refer to labels by index.
public final class FieldLabels: Sendable {
    public let names: [String]

    public init(names: [String]) {
        self.names = names
    }
}
