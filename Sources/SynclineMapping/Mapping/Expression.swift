/// A compiled `expr` or `when` from a connector file: exact decimal arithmetic, comparisons,
/// `and`/`or`/`not`, `in [...]`, and `coalesce`, `concat`, `lower`, `upper`, `trim`, `round`, `exists`,
/// `sum`, `count`, `any_in`, `first_in`, `contains`, `with_prefix`, `left`; `$in.…` / `$out.…` roots and
/// `list[*].field` spreads.
public struct Expression: Sendable, CustomStringConvertible {
    public let text: String
    let root: ExpressionNode

    public init(_ text: String) throws(ExpressionError) {
        var parser = try ExpressionParser(text: text)
        self.text = text
        self.root = try parser.parseAll()
    }

    public var description: String { text }

    /// Every source path the expression reads (for lint and `extra`).
    public var paths: [SourcePath] { root.paths }

    /// The value, or nil when it depends on a missing field. Errors carry a stable code.
    public func evaluate(_ document: JSONValue) throws(FieldConversion.Failure) -> JSONValue? {
        try root.evaluate(ExpressionScope(document: document))
    }

    /// The value with `$in` / `$out` bound (field rules that read other canonical fields, route checks).
    public func evaluate(_ scope: ExpressionScope) throws(FieldConversion.Failure) -> JSONValue? {
        try root.evaluate(scope)
    }

    /// Paths read after `$out.` (canonical fields), as written after the root.
    public var outputPaths: [SourcePath] { root.scopedPaths(.output) }

    /// Paths read after `$in.` (the decoded input), as written after the root.
    public var inputPaths: [SourcePath] { root.scopedPaths(.input) }

    /// As a condition: true unless the result is missing, null, false or "". An evaluation error
    /// (e.g. comparing text with `<`) counts as false.
    public func matches(_ document: JSONValue) -> Bool {
        guard let value = try? root.evaluate(ExpressionScope(document: document)) else { return false }
        return ExpressionNode.truthy(value)
    }
}
