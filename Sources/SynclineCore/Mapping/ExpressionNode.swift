/// The parsed form of an expression or condition, evaluated against a decoded document.
/// Arithmetic is exact decimal; a missing or null operand makes the result null (use `coalesce`).
indirect enum ExpressionNode: Sendable {
    enum BinaryOperator: String, Sendable {
        case add = "+", subtract = "-", multiply = "*", divide = "/"
        case equal = "==", notEqual = "!=", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="
        case and, or
    }

    case literal(JSONValue)
    case path(SourcePath)
    case negate(ExpressionNode)
    case not(ExpressionNode)
    case binary(BinaryOperator, ExpressionNode, ExpressionNode)
    case inList(ExpressionNode, [ExpressionNode], negated: Bool)
    case call(String, [ExpressionNode])

    typealias Failure = FieldConversion.Failure

    /// Every source path the node reads.
    var paths: [SourcePath] {
        switch self {
        case .literal: return []
        case .path(let path): return [path]
        case .negate(let node), .not(let node): return node.paths
        case .binary(_, let lhs, let rhs): return lhs.paths + rhs.paths
        case .inList(let node, let items, _): return node.paths + items.flatMap(\.paths)
        case .call(_, let arguments): return arguments.flatMap(\.paths)
        }
    }

    static func truthy(_ value: JSONValue?) -> Bool {
        switch value {
        case nil, .null?, .bool(false)?: return false
        case .string(let text)?: return !text.isEmpty
        default: return true
        }
    }

    static func decimal(_ value: JSONValue, _ node: ExpressionNode) throws(Failure) -> ExactDecimal {
        let text: String
        switch value {
        case .number(let literal): text = literal
        case .string(let string): text = TextTrim.trim(string)
        default: throw Failure(.wrongType, "\(node.display) is \(value.kindName) \(value.shortDisplay), not a number")
        }
        do {
            return try ExactDecimal.parse(text)
        } catch .overflow {
            throw Failure(.decimalOverflow, "\(node.display) = '\(text)' is too large for exact decimal arithmetic")
        } catch {
            throw Failure(.notANumber, "\(node.display) = '\(text)' is not a number")
        }
    }

    var display: String {
        switch self {
        case .path(let path): return path.text
        case .literal(let value): return value.shortDisplay
        case .call(let name, _): return "\(name)(…)"
        default: return "a sub-expression"
        }
    }

    func evaluate(_ document: JSONValue) throws(Failure) -> JSONValue? {
        switch self {
        case .literal(let value):
            return value
        case .path(let path):
            return path.lookup(in: document)
        case .negate(let node):
            guard let value = try node.evaluate(document), !value.isNull else { return nil }
            let number = try Self.decimal(value, node)
            return try Self.arithmetic { () throws(ExactDecimal.Failure) in try ExactDecimal.zero.subtracting(number) }
        case .not(let node):
            return .bool(!Self.truthy(try node.evaluate(document)))
        case .binary(let op, let lhs, let rhs):
            return try evaluateBinary(op, lhs, rhs, document)
        case .inList(let node, let items, let negated):
            let value = try node.evaluate(document)
            var found = false
            for item in items where Self.equal(value, try item.evaluate(document)) {
                found = true
                break
            }
            return .bool(found != negated)
        case .call(let name, let arguments):
            return try evaluateCall(name, arguments, document)
        }
    }

    static func arithmetic(_ body: () throws(ExactDecimal.Failure) -> ExactDecimal) throws(Failure) -> JSONValue {
        do {
            return .number(try body().description)
        } catch .divisionByZero {
            throw Failure(.divisionByZero, "division by zero")
        } catch {
            throw Failure(.decimalOverflow, "the result is too large for exact decimal arithmetic")
        }
    }

    func evaluateBinary(_ op: BinaryOperator, _ lhs: ExpressionNode, _ rhs: ExpressionNode, _ document: JSONValue) throws(Failure) -> JSONValue? {
        switch op {
        case .and:
            guard Self.truthy(try lhs.evaluate(document)) else { return .bool(false) }
            return .bool(Self.truthy(try rhs.evaluate(document)))
        case .or:
            if Self.truthy(try lhs.evaluate(document)) { return .bool(true) }
            return .bool(Self.truthy(try rhs.evaluate(document)))
        case .equal:
            return .bool(Self.equal(try lhs.evaluate(document), try rhs.evaluate(document)))
        case .notEqual:
            return .bool(!Self.equal(try lhs.evaluate(document), try rhs.evaluate(document)))
        case .less, .lessOrEqual, .greater, .greaterOrEqual:
            guard let left = try lhs.evaluate(document), !left.isNull, let right = try rhs.evaluate(document), !right.isNull else {
                return .bool(false)
            }
            let a = try Self.decimal(left, lhs)
            let b = try Self.decimal(right, rhs)
            switch op {
            case .less: return .bool(a < b)
            case .lessOrEqual: return .bool(a <= b)
            case .greater: return .bool(a > b)
            default: return .bool(a >= b)
            }
        case .add, .subtract, .multiply, .divide:
            guard let left = try lhs.evaluate(document), !left.isNull, let right = try rhs.evaluate(document), !right.isNull else {
                return nil
            }
            let a = try Self.decimal(left, lhs)
            let b = try Self.decimal(right, rhs)
            return try Self.arithmetic { () throws(ExactDecimal.Failure) in
                switch op {
                case .add: return try a.adding(b)
                case .subtract: return try a.subtracting(b)
                case .multiply: return try a.multiplied(by: b)
                default: return try a.divided(by: b)
                }
            }
        }
    }

    /// Equality for conditions: missing equals null; numbers compare by value (also against numeric text).
    static func equal(_ lhs: JSONValue?, _ rhs: JSONValue?) -> Bool {
        let left = lhs ?? .null
        let right = rhs ?? .null
        switch (left, right) {
        case (.null, .null): return true
        case (.null, _), (_, .null): return false
        case (.number(let a), .number(let b)), (.number(let a), .string(let b)), (.string(let a), .number(let b)):
            guard let x = try? ExactDecimal.parse(a), let y = try? ExactDecimal.parse(b) else { return a == b }
            return x == y
        default:
            return left == right
        }
    }

    func evaluateCall(_ name: String, _ arguments: [ExpressionNode], _ document: JSONValue) throws(Failure) -> JSONValue? {
        switch name {
        case "coalesce":
            for argument in arguments {
                if let value = try argument.evaluate(document), !value.isEmptyValue { return value }
            }
            return nil
        case "concat":
            var text = ""
            for argument in arguments {
                guard let value = try argument.evaluate(document), !value.isNull else { continue }
                guard let part = FieldConversion.scalarText(value) else {
                    throw Failure(.wrongType, "concat: \(argument.display) is \(value.kindName), not text")
                }
                text += part
            }
            return .string(text)
        case "lower", "upper", "trim":
            guard let value = try arguments[0].evaluate(document), !value.isNull else { return nil }
            guard let text = FieldConversion.scalarText(value) else {
                throw Failure(.wrongType, "\(name): \(arguments[0].display) is \(value.kindName), not text")
            }
            switch name {
            case "lower": return .string(text.lowercased())
            case "upper": return .string(text.uppercased())
            default: return .string(TextTrim.trim(text))
            }
        case "round":
            guard let value = try arguments[0].evaluate(document), !value.isNull else { return nil }
            let number = try Self.decimal(value, arguments[0])
            guard case .literal(.number(let digitsText)) = arguments[1], let digits = Int(digitsText) else {
                throw Failure(.wrongType, "round: the second argument must be a whole number")
            }
            return try Self.arithmetic { () throws(ExactDecimal.Failure) in try number.rounded(to: digits) }
        case "exists":
            guard let value = try arguments[0].evaluate(document) else { return .bool(false) }
            return .bool(!value.isNull)
        default:
            throw Failure(.wrongType, "unknown function \(name)")
        }
    }
}
