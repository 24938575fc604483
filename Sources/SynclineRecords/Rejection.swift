/// Why a record cannot be delivered: stage, stable error code, the field and rule concerned,
/// and a message a person can act on. A rejected record goes to the DLQ with its original bytes.
public struct Rejection: Error, Sendable, Equatable, CustomStringConvertible {
    public var stage: ErrorStage
    /// A stable code from `ErrorCode` (documented in connectors/README.md).
    public var code: String
    /// The canonical or source field concerned, when there is one.
    public var field: String?
    public var message: String
    /// The route (or rule) that was being applied, when there is one.
    public var rule: String?
    /// Set when the sampled self-check found the compiled path disagreeing with the interpreter,
    /// which produced this rejection (see `RecordContext.selfCheckMismatch`).
    public var selfCheckMismatch: String?

    public init(stage: ErrorStage, code: String, field: String? = nil, message: String, rule: String? = nil) {
        self.stage = stage
        self.code = code
        self.field = field
        self.message = message
        self.rule = rule
    }

    public var description: String {
        var parts = ["\(stage.rawValue)/\(code)"]
        if let rule { parts.append("route \(rule)") }
        if let field { parts.append("field \(field)") }
        return parts.joined(separator: " ") + ": " + message
    }
}
