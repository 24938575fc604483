/// Recursive-descent parser for expressions and conditions. Precedence, loosest first:
/// `or`, `and`, `not`, comparison (`== != < <= > >= in`, `not in`), `+ -`, `* /`, unary `-`.
struct ExpressionParser {
    var tokens: [(ExpressionToken, Int)]
    var position = 0
    /// How deep the tree being built is (nesting and operator chains); bounded so that neither
    /// parsing nor evaluation can exhaust the stack.
    var depth = 0
    static let maxDepth = 128

    /// Functions and their argument counts (nil = one or more).
    static let functions: [String: Int?] = [
        "coalesce": nil, "concat": nil, "lower": 1, "upper": 1, "trim": 1, "round": 2, "exists": 1,
        "sum": 1, "count": 1, "any_in": 2, "first_in": 2, "contains": 2, "with_prefix": 2, "left": 2, "right": 2,
    ]

    init(text: String) throws(ExpressionError) {
        var lexer = ExpressionLexer(text)
        tokens = try lexer.tokens()
    }

    var current: ExpressionToken { tokens[position].0 }
    var offset: Int { tokens[position].1 }

    mutating func advance() { if position < tokens.count - 1 { position += 1 } }

    mutating func accept(_ token: ExpressionToken) -> Bool {
        guard current == token else { return false }
        advance()
        return true
    }

    mutating func expect(_ symbol: String) throws(ExpressionError) {
        guard accept(.symbol(symbol)) else { throw ExpressionError("expected '\(symbol)', found \(current.display)", at: offset) }
    }

    /// One level deeper; the caller restores `depth` when the level is done.
    mutating func deeper() throws(ExpressionError) {
        depth += 1
        guard depth <= Self.maxDepth else {
            throw ExpressionError("the expression is nested or chained more than \(Self.maxDepth) levels deep", at: offset)
        }
    }

    mutating func parseAll() throws(ExpressionError) -> ExpressionNode {
        let node = try parseOr()
        guard current == .end else { throw ExpressionError("unexpected \(current.display)", at: offset) }
        return node
    }

    mutating func parseOr() throws(ExpressionError) -> ExpressionNode {
        let level = depth
        defer { depth = level }
        try deeper()
        var node = try parseAnd()
        while accept(.keyword("or")) {
            try deeper()
            node = .binary(.or, node, try parseAnd())
        }
        return node
    }

    mutating func parseAnd() throws(ExpressionError) -> ExpressionNode {
        let level = depth
        defer { depth = level }
        var node = try parseNot()
        while accept(.keyword("and")) {
            try deeper()
            node = .binary(.and, node, try parseNot())
        }
        return node
    }

    mutating func parseNot() throws(ExpressionError) -> ExpressionNode {
        if accept(.keyword("not")) {
            let level = depth
            defer { depth = level }
            try deeper()
            return .not(try parseNot())
        }
        return try parseComparison()
    }

    mutating func parseComparison() throws(ExpressionError) -> ExpressionNode {
        let lhs = try parseAdditive()
        if case .symbol(let symbol) = current, let op = ExpressionNode.BinaryOperator(rawValue: symbol),
            [.equal, .notEqual, .less, .lessOrEqual, .greater, .greaterOrEqual].contains(op)
        {
            advance()
            return .binary(op, lhs, try parseAdditive())
        }
        if accept(.keyword("in")) { return .inList(lhs, try parseList(), negated: false) }
        if current == .keyword("not"), position + 1 < tokens.count, tokens[position + 1].0 == .keyword("in") {
            advance()
            advance()
            return .inList(lhs, try parseList(), negated: true)
        }
        return lhs
    }

    mutating func parseList() throws(ExpressionError) -> [ExpressionNode] {
        let level = depth
        defer { depth = level }
        try deeper()
        try expect("[")
        var items: [ExpressionNode] = []
        if accept(.symbol("]")) { return items }
        repeat { items.append(try parseAdditive()) } while accept(.symbol(","))
        try expect("]")
        return items
    }

    mutating func parseAdditive() throws(ExpressionError) -> ExpressionNode {
        let level = depth
        defer { depth = level }
        var node = try parseMultiplicative()
        while true {
            if current == .symbol("+") || current == .symbol("-") { try deeper() }
            if accept(.symbol("+")) {
                node = .binary(.add, node, try parseMultiplicative())
            } else if accept(.symbol("-")) {
                node = .binary(.subtract, node, try parseMultiplicative())
            } else {
                return node
            }
        }
    }

    mutating func parseMultiplicative() throws(ExpressionError) -> ExpressionNode {
        let level = depth
        defer { depth = level }
        var node = try parseUnary()
        while true {
            if current == .symbol("*") || current == .symbol("/") { try deeper() }
            if accept(.symbol("*")) {
                node = .binary(.multiply, node, try parseUnary())
            } else if accept(.symbol("/")) {
                node = .binary(.divide, node, try parseUnary())
            } else {
                return node
            }
        }
    }

    mutating func parseUnary() throws(ExpressionError) -> ExpressionNode {
        if accept(.symbol("-")) {
            if case .number(let text) = current {
                advance()
                return .literal(.number("-" + text))
            }
            let level = depth
            defer { depth = level }
            try deeper()
            return .negate(try parseUnary())
        }
        return try parsePrimary()
    }

    mutating func parsePrimary() throws(ExpressionError) -> ExpressionNode {
        let start = offset
        switch current {
        case .number(let text):
            advance()
            return .literal(.number(text))
        case .string(let text):
            advance()
            return .literal(.string(text))
        case .keyword("null"):
            advance()
            return .literal(.null)
        case .keyword("true"):
            advance()
            return .literal(.bool(true))
        case .keyword("false"):
            advance()
            return .literal(.bool(false))
        case .symbol("["):
            return .list(try parseList())
        case .spread(let base, let rest):
            advance()
            let (root, path) = Self.rooted(base)
            return .spread(root, path, rest)
        case .symbol("("):
            advance()
            let node = try parseOr()
            try expect(")")
            return node
        case .path(let path):
            advance()
            if current == .symbol("("), path.segments.count == 1, case .key(let name) = path.segments[0] {
                guard let arity = Self.functions[name] else {
                    let known = Self.functions.keys.sorted().joined(separator: ", ")
                    throw ExpressionError("unknown function '\(name)' (known: \(known))", at: start)
                }
                advance()
                var arguments: [ExpressionNode] = []
                if !accept(.symbol(")")) {
                    repeat { arguments.append(try parseOr()) } while accept(.symbol(","))
                    try expect(")")
                }
                if let arity, arguments.count != arity {
                    throw ExpressionError("\(name)() takes \(arity) argument\(arity == 1 ? "" : "s"), found \(arguments.count)", at: start)
                }
                if arity == nil, arguments.isEmpty { throw ExpressionError("\(name)() needs at least one argument", at: start) }
                if name == "exists", case .path = arguments[0] {} else if name == "exists", case .scoped = arguments[0] {} else if name == "exists" {
                    throw ExpressionError("exists() takes a field path", at: start)
                }
                if name == "left" || name == "right" {
                    guard case .literal(.number(let digits)) = arguments[1], let count = Int(digits), count > 0 else {
                        throw ExpressionError("\(name)(x, n): n must be a positive whole number", at: start)
                    }
                }
                if name == "round" {
                    guard case .literal(.number(let digits)) = arguments[1], let scale = Int(digits), (0...18).contains(scale) else {
                        throw ExpressionError("round(x, n): n must be a whole number 0…18", at: start)
                    }
                }
                return .call(name, arguments)
            }
            let (root, rest) = Self.rooted(path)
            return root == .document ? .path(path) : .scoped(root, rest)
        default:
            throw ExpressionError("expected a value, field path, function or '(', found \(current.display)", at: start)
        }
    }

    /// Splits `$in.a.b` / `$out.a.b` into the root and the rest; other paths read the document.
    static func rooted(_ path: SourcePath) -> (ExpressionNode.Root, SourcePath?) {
        guard case .key(let first) = path.segments[0], let root = ExpressionNode.Root(rawValue: first), root != .document else {
            return (.document, path)
        }
        let rest = Array(path.segments.dropFirst())
        guard !rest.isEmpty else { return (root, nil) }
        var text = path.text.dropFirst(first.count)
        if text.hasPrefix(".") { text = text.dropFirst() }
        return (root, SourcePath(segments: rest, text: String(text)))
    }
}
