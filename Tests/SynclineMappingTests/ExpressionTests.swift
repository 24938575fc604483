import Testing
import SynclineMapping

@Suite struct ExpressionTests {
    static let document: JSONValue = .object([
        "event_type": .string("form_submit"),
        "utm": .object(["source": .string("baidu"), "medium": .null]),
        "amount": .object(["gross": .string("100.00"), "fee": .number("3.20"), "fx": .number("0.35")]),
        "a": .number("0.1"), "b": .number("0.2"),
        "fields": .object(["客户_等级_v2": .string("高"), "所在 城市": .string("上海"), "empty": .string("")]),
        "lines": .array([.object(["sku": .string("SKU-1"), "qty": .number("2")])]),
        "name": .string("  Ada "),
        "count": .number("5"),
    ])

    func eval(_ text: String) throws -> JSONValue? {
        try Expression(text).evaluate(Self.document)
    }

    @Test func exactDecimalArithmetic() throws {
        #expect(try eval("a + b") == .number("0.3"))
        #expect(try eval("amount.gross - amount.fee - amount.fx") == .number("96.45"))
        #expect(try eval("(amount.gross - amount.fee) * 2") == .number("193.60"))
        #expect(try eval("amount.gross / 4") == .number("25"))
        #expect(try eval("round(10 / 3, 2)") == .number("3.33"))
        #expect(try eval("-count + 1") == .number("-4"))
        #expect(try eval("2 + 3 * 4") == .number("14"))
        #expect(try eval("lines[0].qty * 1.5") == .number("3.0"))
    }

    @Test func nullPropagatesAndCoalesce() throws {
        #expect(try eval("amount.gross - missing.fee") == nil)
        #expect(try eval("amount.gross - coalesce(missing.fee, 0)") == .number("100.00"))
        #expect(try eval("coalesce(fields.empty, utm.medium, utm.source)") == .string("baidu"))
        #expect(try eval("coalesce(nothing, also_nothing)") == nil)
    }

    @Test func stringFunctions() throws {
        #expect(try eval("concat(lines[0].sku, '/', count)") == .string("SKU-1/5"))
        #expect(try eval("upper(utm.source)") == .string("BAIDU"))
        #expect(try eval("lower('ABC')") == .string("abc"))
        #expect(try eval("trim(name)") == .string("Ada"))
        #expect(try eval("concat(fields.客户_等级_v2, fields.`所在 城市`)") == .string("高上海"))
        #expect(try eval("concat('a', missing)") == .string("a"))
    }

    @Test("regression (issue 14): round(a / b, 0) over 19-digit operands is 18, and a quotient too large is decimal_overflow, never a trap")
    func divisionOfLargeOperands() throws {
        let record: JSONValue = .object(["a": .number("6925605966349787035"), "b": .number("375437851724750521"), "c": .number("0.000000000000000001")])
        #expect(try Expression("round(a / b, 0)").evaluate(record) == .number("18"))
        do {
            _ = try Expression("a / c").evaluate(record)
            Issue.record("a quotient of 6.9e36 was not reported")
        } catch {
            #expect((error as? FieldConversion.Failure)?.code == .decimalOverflow)
        }
    }

    @Test("nesting and operator chains are bounded: 5,000 levels are a parse error, not a stack overflow; 100 are fine")
    func depthIsBounded() throws {
        let deep = [
            String(repeating: "(", count: 5_000) + "1" + String(repeating: ")", count: 5_000),
            Array(repeating: "1", count: 5_000).joined(separator: " + "),
            Array(repeating: "a", count: 5_000).joined(separator: " * "),
            Array(repeating: "a", count: 5_000).joined(separator: " or "),
            String(repeating: "not ", count: 5_000) + "a",
            String(repeating: "- ", count: 5_000) + "a",
            String(repeating: "[", count: 5_000) + String(repeating: "]", count: 5_000),
            "concat(" + String(repeating: "lower(", count: 5_000) + "a" + String(repeating: ")", count: 5_001),
        ]
        for text in deep {
            #expect(throws: ExpressionError.self, "\(text.prefix(20))…") { try Expression(text) }
        }
        #expect(try eval(Array(repeating: "count", count: 100).joined(separator: " + ")) == .number("500"))
        #expect(try eval(String(repeating: "(", count: 60) + "count" + String(repeating: ")", count: 60)) == .number("5"))
    }

    @Test func arithmeticErrorsHaveCodes() {
        #expect(throws: FieldConversion.Failure.self) { try eval("name + 1") }
        do {
            _ = try eval("count / 0")
            Issue.record("division by zero not reported")
        } catch {
            #expect((error as? FieldConversion.Failure)?.code == .divisionByZero)
        }
        do {
            _ = try eval("utm.source * 2")
            Issue.record("text times 2 not reported")
        } catch {
            #expect((error as? FieldConversion.Failure)?.code == .notANumber)
        }
    }

    static let conditions: [(String, Bool)] = [
        ("event_type == 'form_submit'", true),
        ("event_type != 'form_submit'", false),
        ("event_type == 'form_submit' and utm.source != null", true),
        ("event_type == 'form_submit' and utm.medium != null", false),
        ("event_type == 'x' or utm.source == 'baidu'", true),
        ("not (event_type == 'x')", true),
        ("utm.source in ['baidu', 'wechat']", true),
        ("utm.source not in ['baidu', 'wechat']", false),
        ("exists(utm.source)", true),
        ("exists(utm.medium)", false),
        ("exists(utm.campaign)", false),
        ("utm.campaign == null", true),
        ("count > 4 and count <= 5", true),
        ("count == 5.0", true),
        ("count == '5'", true),
        ("fields.客户_等级_v2 == '高'", true),
        ("utm.source", true),
        ("fields.empty", false),
        ("name < 3", false),
        ("lines[0].sku == 'SKU-1'", true),
    ]

    @Test(arguments: conditions)
    func conditionsMatch(_ text: String, _ expected: Bool) throws {
        #expect(try Expression(text).matches(Self.document) == expected)
    }

    @Test(arguments: [
        "event_type = 'x'", "event_type ==", "(a + b", "unknown_fn(a)", "lower(a, b)", "round(a, b)", "a +* b",
        "'unterminated", "a.", "exists('x')", "coalesce()", "a ~ b",
    ])
    func malformedExpressionsAreRejected(_ text: String) {
        #expect(throws: ExpressionError.self) { try Expression(text) }
    }

    @Test func pathsAreCollected() throws {
        let expression = try Expression("coalesce(fields.手机, contact.phone) + lines[0].qty")
        #expect(expression.paths.map(\.text) == ["fields.手机", "contact.phone", "lines[0].qty"])
    }

    @Test func sourcePaths() throws {
        let path = try SourcePath.parse("lines[0].sku")
        #expect(path.segments == [.key("lines"), .index(0), .key("sku")])
        #expect(path.lookup(in: Self.document) == .string("SKU-1"))
        #expect(try SourcePath.parse("fields[\"所在 城市\"]").lookup(in: Self.document) == .string("上海"))
        #expect(try SourcePath.parse("lines[3].sku").lookup(in: Self.document) == nil)
        for bad in ["", "a..b", "a.", "a[x]", "a[-1]", "a[0]b", ".a"] {
            #expect(throws: SourcePath.Malformed.self, "\(bad)") { try SourcePath.parse(bad) }
        }
    }
}
