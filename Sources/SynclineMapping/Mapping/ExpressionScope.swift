/// What an expression reads: bare paths read `document`; `$in.…` reads the connector's decoded input
/// and `$out.…` the canonical fields produced so far (in a field rule) or the whole canonical output
/// (in a route check). Passed by value; building one does not copy the documents (copy-on-write).
public struct ExpressionScope: Sendable {
    /// Where bare paths are looked up.
    public var document: JSONValue
    /// `$in`: the decoded input record (defaults to `document`).
    public var input: JSONValue?
    /// `$out`: canonical fields already mapped (rules) or the canonical record (checks).
    public var output: JSONValue?

    public init(document: JSONValue, input: JSONValue? = nil, output: JSONValue? = nil) {
        self.document = document
        self.input = input
        self.output = output
    }

    /// The document a scoped path starts from.
    func root(_ root: ExpressionNode.Root) -> JSONValue? {
        switch root {
        case .document: return document
        case .input: return input ?? document
        case .output: return output
        }
    }
}
