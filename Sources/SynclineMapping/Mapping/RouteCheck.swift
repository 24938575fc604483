/// A cross-field check on a route's canonical output (`checks:` on a route) or on each mapped item of
/// an array field (`item_checks:` on a rule). Bare paths read the canonical record (or item); `$in.…`
/// reads the decoded input (or the source item). A check that is not true rejects the record at stage
/// `validate` with its code and a message naming the values involved.
public struct RouteCheck: Sendable {
    /// One piece of the message: literal text or a `{expression}` placeholder.
    public enum MessagePart: Sendable {
        case text(String)
        case value(Expression)
    }

    /// The condition that must hold (true unless it is missing, null, false or "").
    public var expression: Expression
    /// The stable error code of a failure (default `check_failed`).
    public var code: ErrorCode
    /// The message template as written; `{net_amount}` or `{$in.fields.手机}` insert values.
    public var message: String
    public var parts: [MessagePart]
    /// The canonical field named in `syncline-error-field` (default: the first field the check reads).
    public var field: String?
    /// Where the check is in the file (`routes[0].checks[1]`).
    public var location: String

    public init(expression: Expression, code: ErrorCode = .checkFailed, message: String = "", field: String? = nil, location: String = "")
        throws(ExpressionError)
    {
        self.expression = expression
        self.code = code
        self.message = message
        self.field = field ?? expression.paths.first.map { path in
            if case .key(let key) = path.segments[0] { return key }
            return path.text
        }
        self.location = location
        self.parts = try Self.parseTemplate(message)
    }

    /// Splits `text {expr} text` into parts; `{{` and `}}` are literal braces.
    static func parseTemplate(_ message: String) throws(ExpressionError) -> [MessagePart] {
        var parts: [MessagePart] = []
        var text = ""
        var scalars = Array(message.unicodeScalars)[...]
        var position = 0
        while let scalar = scalars.first {
            scalars = scalars.dropFirst()
            position += 1
            if scalar == "{", scalars.first == "{" {
                scalars = scalars.dropFirst()
                position += 1
                text += "{"
            } else if scalar == "}", scalars.first == "}" {
                scalars = scalars.dropFirst()
                position += 1
                text += "}"
            } else if scalar == "{" {
                var inner = ""
                var closed = false
                while let next = scalars.first {
                    scalars = scalars.dropFirst()
                    position += 1
                    if next == "}" {
                        closed = true
                        break
                    }
                    inner.unicodeScalars.append(next)
                }
                guard closed else { throw ExpressionError("unclosed '{' in the check message", at: position) }
                if !text.isEmpty { parts.append(.text(text)) }
                text = ""
                parts.append(.value(try Expression(inner)))
            } else {
                text.unicodeScalars.append(scalar)
            }
        }
        if !text.isEmpty { parts.append(.text(text)) }
        return parts
    }

    /// True when the check holds (an evaluation error counts as a failure).
    public func holds(_ scope: ExpressionScope) -> Bool {
        guard let value = try? expression.evaluate(scope) else { return false }
        return ExpressionNode.truthy(value)
    }

    /// The record's rejection when the check does not hold on a route's output (`scope`): stage
    /// `validate`, the check's code and field, a message naming the values involved, and the fields
    /// `on_error: omit` left out. The interpreter and the compiled path both word it here.
    public func rejection(connector: String, route: String, scope: ExpressionScope, omitted: [String]) -> Rejection {
        var message = "connector \(connector), route \(route), check '\(expression.text)': \(render(scope))"
        if !omitted.isEmpty { message += "; " + omitted.joined(separator: "; ") }
        return Rejection(stage: .validate, code: code.rawValue, field: field, message: message, rule: route)
    }

    /// The message with its placeholders filled; without placeholders, the values of every path the
    /// check reads are appended, so the reason always shows them.
    public func render(_ scope: ExpressionScope) -> String {
        var out = ""
        var hasValues = false
        for part in parts {
            switch part {
            case .text(let text): out += text
            case .value(let expression):
                hasValues = true
                out += Self.display(try? expression.evaluate(scope))
            }
        }
        if !hasValues {
            var shown: [String] = []
            var seen = Set<String>()
            for path in expression.paths where seen.insert(path.text).inserted {
                shown.append("\(path.text) = \(Self.display(path.lookup(in: scope.document)))")
            }
            for path in expression.inputPaths where seen.insert("$in." + path.text).inserted {
                shown.append("$in.\(path.text) = \(Self.display(scope.input.flatMap { path.lookup(in: $0) }))")
            }
            if !shown.isEmpty { out += (out.isEmpty ? "" : " ") + "(" + shown.joined(separator: ", ") + ")" }
        }
        return out.isEmpty ? "check failed: \(expression.text)" : out
    }

    static func display(_ value: JSONValue?) -> String {
        guard let value, !value.isNull else { return "null" }
        if let text = FieldConversion.scalarText(value) { return text }
        return value.shortDisplay
    }
}
