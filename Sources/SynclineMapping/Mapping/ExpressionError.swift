/// A malformed expression or condition in a connector file, with the character position.
public struct ExpressionError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    /// 0-based position (in Unicode scalars) in the expression text.
    public var position: Int

    public init(_ message: String, at position: Int) {
        self.message = message
        self.position = position
    }

    public var description: String { "\(message) (at character \(position + 1))" }
}
