/// The parsed form of an expression or condition, evaluated against a decoded document.
/// Arithmetic is exact decimal; a missing or null operand makes the result null (use `coalesce`).
indirect enum ExpressionNode: Sendable {
    enum BinaryOperator: String, Sendable {
        case add = "+", subtract = "-", multiply = "*", divide = "/"
        case equal = "==", notEqual = "!=", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="
        case and, or
    }

    /// Where a path starts: the scope's document, `$in` or `$out`.
    enum Root: String, Sendable {
        case document = "", input = "$in", output = "$out"
    }

    case literal(JSONValue)
    case path(SourcePath)
    /// `$in.a.b` / `$out.a.b` (the path after the root; empty segments = the root itself).
    case scoped(Root, SourcePath?)
    /// `lines[*].amount`: the value at `rest` in every item of the array at `base` (null where missing).
    case spread(Root, SourcePath?, SourcePath?)
    /// `['a', 'b']` as a value (for `any_in`, `first_in`).
    case list([ExpressionNode])
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
        case .scoped: return []
        case .spread(let root, let base, _): return root == .document ? base.map { [$0] } ?? [] : []
        case .list(let items): return items.flatMap(\.paths)
        case .negate(let node), .not(let node): return node.paths
        case .binary(_, let lhs, let rhs): return lhs.paths + rhs.paths
        case .inList(let node, let items, _): return node.paths + items.flatMap(\.paths)
        case .call(_, let arguments): return arguments.flatMap(\.paths)
        }
    }

    /// Paths read from a root other than the document (`$in.x`, `$out.x`), as written after the root.
    func scopedPaths(_ wanted: Root) -> [SourcePath] {
        switch self {
        case .literal, .path: return []
        case .scoped(let root, let path): return root == wanted ? path.map { [$0] } ?? [] : []
        case .spread(let root, let base, _): return root == wanted ? base.map { [$0] } ?? [] : []
        case .list(let items): return items.flatMap { $0.scopedPaths(wanted) }
        case .negate(let node), .not(let node): return node.scopedPaths(wanted)
        case .binary(_, let lhs, let rhs): return lhs.scopedPaths(wanted) + rhs.scopedPaths(wanted)
        case .inList(let node, let items, _): return node.scopedPaths(wanted) + items.flatMap { $0.scopedPaths(wanted) }
        case .call(_, let arguments): return arguments.flatMap { $0.scopedPaths(wanted) }
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

    func evaluate(_ scope: ExpressionScope) throws(Failure) -> JSONValue? {
        switch self {
        case .literal(let value):
            return value
        case .path(let path):
            return path.lookup(in: scope.document)
        case .scoped(let root, let path):
            guard let start = scope.root(root) else { return nil }
            guard let path else { return start }
            return path.lookup(in: start)
        case .spread(let root, let base, let rest):
            guard let start = scope.root(root) else { return nil }
            guard case .array(let items)? = base.map({ $0.lookup(in: start) }) ?? start else { return nil }
            guard let rest else { return .array(items) }
            return .array(items.map { rest.lookup(in: $0) ?? .null })
        case .list(let items):
            var values: [JSONValue] = []
            values.reserveCapacity(items.count)
            for item in items { values.append(try item.evaluate(scope) ?? .null) }
            return .array(values)
        case .negate(let node):
            guard let value = try node.evaluate(scope), !value.isNull else { return nil }
            let number = try Self.decimal(value, node)
            return try Self.arithmetic { () throws(ExactDecimal.Failure) in try ExactDecimal.zero.subtracting(number) }
        case .not(let node):
            return .bool(!Self.truthy(try node.evaluate(scope)))
        case .binary(let op, let lhs, let rhs):
            return try evaluateBinary(op, lhs, rhs, scope)
        case .inList(let node, let items, let negated):
            let value = try node.evaluate(scope)
            var found = false
            for item in items where Self.equal(value, try item.evaluate(scope)) {
                found = true
                break
            }
            return .bool(found != negated)
        case .call(let name, let arguments):
            return try evaluateCall(name, arguments, scope)
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

    func evaluateBinary(_ op: BinaryOperator, _ lhs: ExpressionNode, _ rhs: ExpressionNode, _ scope: ExpressionScope) throws(Failure) -> JSONValue? {
        switch op {
        case .and:
            guard Self.truthy(try lhs.evaluate(scope)) else { return .bool(false) }
            return .bool(Self.truthy(try rhs.evaluate(scope)))
        case .or:
            if Self.truthy(try lhs.evaluate(scope)) { return .bool(true) }
            return .bool(Self.truthy(try rhs.evaluate(scope)))
        case .equal:
            return .bool(Self.equal(try lhs.evaluate(scope), try rhs.evaluate(scope)))
        case .notEqual:
            return .bool(!Self.equal(try lhs.evaluate(scope), try rhs.evaluate(scope)))
        case .less, .lessOrEqual, .greater, .greaterOrEqual:
            guard let left = try lhs.evaluate(scope), !left.isNull, let right = try rhs.evaluate(scope), !right.isNull else {
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
            guard let left = try lhs.evaluate(scope), !left.isNull, let right = try rhs.evaluate(scope), !right.isNull else {
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

    func evaluateCall(_ name: String, _ arguments: [ExpressionNode], _ scope: ExpressionScope) throws(Failure) -> JSONValue? {
        switch name {
        case "coalesce":
            for argument in arguments {
                if let value = try argument.evaluate(scope), !value.isEmptyValue { return value }
            }
            return nil
        case "concat":
            var text = ""
            for argument in arguments {
                guard let value = try argument.evaluate(scope), !value.isNull else { continue }
                guard let part = FieldConversion.scalarText(value) else {
                    throw Failure(.wrongType, "concat: \(argument.display) is \(value.kindName), not text")
                }
                text += part
            }
            return .string(text)
        case "lower", "upper", "trim":
            guard let value = try arguments[0].evaluate(scope), !value.isNull else { return nil }
            guard let text = FieldConversion.scalarText(value) else {
                throw Failure(.wrongType, "\(name): \(arguments[0].display) is \(value.kindName), not text")
            }
            switch name {
            case "lower": return .string(text.lowercased())
            case "upper": return .string(text.uppercased())
            default: return .string(TextTrim.trim(text))
            }
        case "round":
            guard let value = try arguments[0].evaluate(scope), !value.isNull else { return nil }
            let number = try Self.decimal(value, arguments[0])
            guard case .literal(.number(let digitsText)) = arguments[1], let digits = Int(digitsText) else {
                throw Failure(.wrongType, "round: the second argument must be a whole number")
            }
            return try Self.arithmetic { () throws(ExactDecimal.Failure) in try number.rounded(to: digits) }
        case "sum":
            guard let value = try arguments[0].evaluate(scope), !value.isNull else { return nil }
            guard case .array(let items) = value else { return value }
            var total = ExactDecimal.zero
            for item in items {
                guard !item.isEmptyValue else { return nil }
                let number = try Self.decimal(item, arguments[0])
                do {
                    total = try total.adding(number)
                } catch {
                    throw Failure(.decimalOverflow, "sum(\(arguments[0].display)) is too large for exact decimal arithmetic")
                }
            }
            return .number(total.description)
        case "count":
            guard let value = try arguments[0].evaluate(scope), !value.isNull else { return nil }
            if case .array(let items) = value { return .number(String(items.count)) }
            if case .object(let members) = value { return .number(String(members.count)) }
            return .number("1")
        case "any_in", "first_in":
            guard let value = try arguments[0].evaluate(scope), !value.isNull else { return name == "any_in" ? .bool(false) : nil }
            let candidates: [JSONValue]
            if case .array(let items)? = try arguments[1].evaluate(scope) { candidates = items } else { candidates = [] }
            let elements: [JSONValue]
            if case .array(let items) = value { elements = items } else { elements = [value] }
            for element in elements where candidates.contains(where: { Self.equal(element, $0) }) {
                return name == "any_in" ? .bool(true) : element
            }
            return name == "any_in" ? .bool(false) : nil
        case "contains":
            guard let haystack = try arguments[0].evaluate(scope), !haystack.isNull else { return .bool(false) }
            let needle = try arguments[1].evaluate(scope)
            switch haystack {
            case .array(let items): return .bool(items.contains { Self.equal($0, needle) })
            case .object(let members):
                guard let key = needle.flatMap(FieldConversion.scalarText) else { return .bool(false) }
                return .bool(members[key] != nil)
            default:
                guard let text = FieldConversion.scalarText(haystack), let part = needle.flatMap(FieldConversion.scalarText) else { return .bool(false) }
                return .bool(text.contains(part))
            }
        case "with_prefix":
            guard let value = try arguments[1].evaluate(scope), !value.isEmptyValue else { return nil }
            guard let prefix = try arguments[0].evaluate(scope).flatMap(FieldConversion.scalarText),
                let text = FieldConversion.scalarText(value)
            else {
                throw Failure(.wrongType, "with_prefix: \(arguments[1].display) is \(value.kindName), not text")
            }
            return .string(prefix + text)
        case "left", "right":
            guard let value = try arguments[0].evaluate(scope), !value.isNull else { return nil }
            guard let text = FieldConversion.scalarText(value) else {
                throw Failure(.wrongType, "\(name): \(arguments[0].display) is \(value.kindName), not text")
            }
            guard case .literal(.number(let countText)) = arguments[1], let count = Int(countText) else {
                throw Failure(.wrongType, "\(name): the second argument must be a whole number")
            }
            let scalars = text.unicodeScalars
            guard scalars.count > count else { return .string(text) }
            var result = ""
            if name == "left" {
                result.unicodeScalars.append(contentsOf: scalars.prefix(count))
            } else {
                result.unicodeScalars.append(contentsOf: scalars.suffix(count))
            }
            return .string(result)
        case "exists":
            guard let value = try arguments[0].evaluate(scope) else { return .bool(false) }
            return .bool(!value.isNull)
        default:
            throw Failure(.wrongType, "unknown function \(name)")
        }
    }
}
