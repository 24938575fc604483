/// A compiled `expr` or `when` from a connector file: exact decimal arithmetic, comparisons,
/// `and`/`or`/`not`, `in [...]`, and `coalesce`, `concat`, `lower`, `upper`, `trim`, `round`, `exists`.
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
        try root.evaluate(document)
    }

    /// As a condition: true unless the result is missing, null, false or "". An evaluation error
    /// (e.g. comparing text with `<`) counts as false.
    public func matches(_ document: JSONValue) -> Bool {
        guard let value = try? root.evaluate(document) else { return false }
        return ExpressionNode.truthy(value)
    }
}
