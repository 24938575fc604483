/// A route's `when` or `checks` entry compiled to byte comparisons, for the shapes the shipped
/// connectors use: `path in ['a', 'b']`, `path == 'a'` / `!=`, `field != null` / `== null`, joined with
/// `and` / `or` / `not`. Evaluation answers true, false, or nil when only the interpreter can tell
/// (numbers, escapes, text that differs from a literal only canonically).
indirect enum CompiledCondition: Sendable {
    /// The value at a slot is one of these ASCII string literals (`negated`: is none of them).
    case oneOf(slot: Int, literals: [[UInt8]], negated: Bool)
    /// The value at a slot is missing or null (`negated`: is present and not null).
    case isNull(slot: Int, negated: Bool)
    /// A canonical output field is absent (`negated`: present); output values are never null.
    case outputAbsent(member: Int, negated: Bool)
    case constant(Bool)
    case and(CompiledCondition, CompiledCondition)
    case or(CompiledCondition, CompiledCondition)
    case not(CompiledCondition)

    /// Why an expression is not compiled.
    struct Unsupported: Error, Sendable {
        var reason: String
    }

    /// Compiles a condition over the input document (`when`): paths become slots of the trie.
    static func input(_ node: ExpressionNode, trie: inout PathTrie) throws(Unsupported) -> CompiledCondition {
        try compile(node) { (path) throws(Unsupported) -> Operand in
            guard let slot = trie.slot(for: path) else { throw Unsupported(reason: "path \(path.text) has an array index") }
            return .slot(slot)
        }
    }

    /// Compiles a route check over the canonical output: bare paths name output members.
    static func output(_ node: ExpressionNode, members: [String]) throws(Unsupported) -> CompiledCondition {
        try compile(node) { (path) throws(Unsupported) -> Operand in
            guard path.segments.count == 1, case .key(let key) = path.segments[0] else {
                throw Unsupported(reason: "check reads a nested path \(path.text)")
            }
            return .member(members.firstIndex(of: key) ?? -1)
        }
    }

    enum Operand {
        case slot(Int)
        case member(Int)
    }

    static func compile(_ node: ExpressionNode, _ operand: (SourcePath) throws(Unsupported) -> Operand) throws(Unsupported) -> CompiledCondition {
        switch node {
        case .binary(.and, let lhs, let rhs):
            return .and(try compile(lhs, operand), try compile(rhs, operand))
        case .binary(.or, let lhs, let rhs):
            return .or(try compile(lhs, operand), try compile(rhs, operand))
        case .not(let inner):
            return .not(try compile(inner, operand))
        case .binary(let op, .path(let path), .literal(let literal)) where op == .equal || op == .notEqual,
            .binary(let op, .literal(let literal), .path(let path)) where op == .equal || op == .notEqual:
            return try comparison(try operand(path), [literal], negated: op == .notEqual)
        case .inList(.path(let path), let items, let negated):
            var literals: [JSONValue] = []
            for item in items {
                guard case .literal(let literal) = item else { throw Unsupported(reason: "an `in` list holds a non-literal") }
                literals.append(literal)
            }
            return try comparison(try operand(path), literals, negated: negated)
        default:
            throw Unsupported(reason: "the expression shape is not compiled")
        }
    }

    static func comparison(_ operand: Operand, _ literals: [JSONValue], negated: Bool) throws(Unsupported) -> CompiledCondition {
        if literals.count == 1, literals[0].isNull {
            switch operand {
            case .slot(let slot): return .isNull(slot: slot, negated: negated)
            case .member(let member): return member < 0 ? .constant(!negated) : .outputAbsent(member: member, negated: negated)
            }
        }
        guard case .slot(let slot) = operand else { throw Unsupported(reason: "a check compares an output field with a value") }
        var texts: [[UInt8]] = []
        for literal in literals {
            guard case .string(let text) = literal, text.utf8.allSatisfy({ $0 < 0x80 }) else {
                throw Unsupported(reason: "a comparison with a literal other than ASCII text")
            }
            texts.append(Array(text.utf8))
        }
        return .oneOf(slot: slot, literals: texts, negated: negated)
    }

    /// The condition's truth, or nil when the compiled path cannot decide it.
    func evaluate(_ bytes: UnsafeBufferPointer<UInt8>, _ slots: UnsafeMutableBufferPointer<ByteSlot>, _ present: UnsafeMutableBufferPointer<Bool>) -> Bool? {
        switch self {
        case .constant(let value):
            return value
        case .isNull(let slot, let negated):
            let kind = slots[slot].kind
            return (kind == .missing || kind == .null) != negated
        case .outputAbsent(let member, let negated):
            return !present[member] != negated
        case .oneOf(let slot, let literals, let negated):
            let value = slots[slot]
            switch value.kind {
            case .missing, .null, .literalTrue, .literalFalse, .object, .array:
                return negated
            case .number:
                return nil
            case .string:
                if value.escaped { return nil }
                for literal in literals where ByteText.equal(bytes, value.start, value.end, literal) { return !negated }
                return StableText.isASCII(bytes, value.start, value.end) ? negated : nil
            }
        case .and(let lhs, let rhs):
            guard let left = lhs.evaluate(bytes, slots, present) else { return nil }
            if !left { return false }
            return rhs.evaluate(bytes, slots, present)
        case .or(let lhs, let rhs):
            guard let left = lhs.evaluate(bytes, slots, present) else { return nil }
            if left { return true }
            return rhs.evaluate(bytes, slots, present)
        case .not(let inner):
            return inner.evaluate(bytes, slots, present).map { !$0 }
        }
    }
}
