import Foundation
import SynclineMapping
import Testing

/// The mapping features the shipped connectors rely on: `$out`, spreads and aggregates, route and item
/// checks with both values in the reason, `map_only`, `on_error: omit`, listed envelope paths.
@Suite("Mapping: checks, aggregates, derived fields")
struct MappingChecksTests {
    static let topic = """
        name: crm.payments.v1
        partitions: 3
        key: payment_id
        schema:
          payment_id: {type: string, required: true}
          stage: {type: enum, values: [received, refunded], required: true}
          gross_amount: {type: decimal, scale: 2, required: true}
          fee: {type: decimal, scale: 2, required: true}
          net_amount: {type: decimal, scale: 2, required: true}
          stated_net_amount: {type: decimal, scale: 2}
          phone: {type: phone}
          lines: {type: array}
          line_total_sum: {type: decimal, scale: 2}
        """

    static let connector = """
        name: pay
        input: {topics: [raw.pay.v1]}
        event_id: [id, callback_id]
        source_timestamp: [time, notify_time]
        routes:
          - name: pay
            topic: crm.payments.v1
            key: payment_id
            fields:
              payment_id: {expr: "coalesce(id, callback_id)"}
              stage: {from: type, map_only: true, map: {CAPTURED: received, REFUNDED: refunded}}
              net_amount: {expr: "$out.gross_amount - $out.fee"}
              gross_amount: gross
              fee: {from: fee, default: 0}
              stated_net_amount: net
              phone: {from: phone, on_error: omit}
              lines:
                from: lines
                each:
                  qty: {from: qty, type: decimal}
                  price: {from: price, type: decimal, scale: 2}
                  total: {expr: "coalesce(amount, qty * price)", type: decimal, scale: 2}
                item_checks:
                  - expr: qty * price == total
                    code: line_total_mismatch
                    message: "{qty} × {price} = {qty * price}, stated {total}"
              line_total_sum: {expr: "sum($out.lines[*].total)"}
            checks:
              - expr: stated_net_amount == null or stated_net_amount == net_amount
                code: net_amount_mismatch
                message: "stated {stated_net_amount}, computed {net_amount}"
              - phone != null or $in.allow_no_phone == true
        """

    func pipeline() throws -> RecordPipeline {
        let catalog = TopicCatalog(topics: [try TopicSpecParser.parse(Self.topic, file: "t.yaml"), TopicSpec(name: "raw.pay.v1", partitions: 1)])
        let spec = try ConnectorSpecParser.parse(Self.connector, file: "pay.yaml")
        #expect(ConnectorLinter.lint(spec, catalog: catalog, samples: nil).filter { $0.severity == .error }.isEmpty)
        return try PipelineBuilder.build(spec, catalog: catalog)
    }

    func run(_ json: String) throws -> Result<RecordContext, Rejection> {
        try pipeline().run(InputRecord(topic: "raw.pay.v1", partition: 0, offset: 0, key: nil, value: Array(json.utf8)))
    }

    @Test func derivedFieldsAggregatesAndCompleteness() throws {
        let context = try run(#"{"callback_id":"c-1","notify_time":"2024-05-01T00:00:00Z","type":"CAPTURED","gross":"100.00","fee":"3.98","net":"96.02","phone":"13800138000","lines":[{"qty":2,"price":"1.25"},{"qty":"0.5","price":"3.10","amount":"1.55"}]}"#).get()
        #expect(context.eventID == "c-1")
        #expect(context.sourceTimeMs == 1_714_521_600_000)
        let value = String(decoding: try #require(context.outputs.first?.value), as: UTF8.self)
        #expect(value.contains(#""payment_id":"c-1","stage":"received","gross_amount":100.00,"fee":3.98,"net_amount":96.02"#), "\(value)")
        #expect(value.contains(#""line_total_sum":4.05"#), "\(value)")
        #expect(context.filledFields.contains("net_amount") && context.emptyFields.isEmpty)
    }

    @Test func netMismatchNamesBothValues() throws {
        guard case .failure(let rejection) = try run(#"{"id":"p-2","type":"CAPTURED","gross":"100.00","fee":"3.98","net":"96.20","phone":"13800138000"}"#) else {
            Issue.record("accepted")
            return
        }
        #expect(rejection.stage == .validate && rejection.code == "net_amount_mismatch" && rejection.field == "stated_net_amount")
        #expect(rejection.message.contains("stated 96.20, computed 96.02"), "\(rejection.message)")
    }

    @Test func itemCheckAndMapOnlyAndOmit() throws {
        guard case .failure(let line) = try run(#"{"id":"p-3","type":"CAPTURED","gross":"1","phone":"13800138000","lines":[{"qty":3,"price":"1.00","amount":"2.00"}]}"#) else {
            Issue.record("accepted")
            return
        }
        #expect(line.code == "line_total_mismatch" && line.field == "lines[0].qty" && line.message.contains("3 × 1.00 = 3.00, stated 2.00"), "\(line)")
        guard case .failure(let stage) = try run(#"{"id":"p-4","type":"received","gross":"1","phone":"13800138000"}"#) else {
            Issue.record("a hand-typed stage was accepted")
            return
        }
        #expect(stage.code == "value_not_in_enum" && stage.field == "stage")
        // An unusable phone is omitted; the plain check then fails and names why.
        guard case .failure(let omitted) = try run(#"{"id":"p-5","type":"REFUNDED","gross":"1","phone":"12"}"#) else {
            Issue.record("accepted")
            return
        }
        #expect(omitted.code == "check_failed" && omitted.message.contains("phone = null") && omitted.message.contains("omitted"), "\(omitted)")
        #expect(try run(#"{"id":"p-6","type":"REFUNDED","gross":"1","phone":"12","allow_no_phone":true}"#).get().outputs.count == 1)
    }

    @Test func expressionFunctions() throws {
        let document = try JSONParser.parse(Array(#"{"tags":["billing","投诉"],"type":null,"a":"abcdef","n":[{"v":"1.10"},{"v":2}]}"#.utf8))
        func eval(_ text: String) throws -> JSONValue? { try Expression(text).evaluate(document) }
        #expect(try eval("any_in(tags, ['complaint', '投诉'])") == .bool(true))
        #expect(try eval("first_in(tags, ['x', '投诉', 'billing'])") == .string("billing"))
        #expect(try eval("contains(tags, 'billing')") == .bool(true))
        #expect(try eval("with_prefix('phone:', type)") == nil)
        #expect(try eval("with_prefix('p:', a)") == .string("p:abcdef"))
        #expect(try eval("left(a, 2)") == .string("ab") && eval("right(a, 2)") == .string("ef"))
        #expect(try eval("sum(n[*].v)") == .number("3.10"))
        #expect(try eval("count(n)") == .number("2"))
        #expect(try eval("sum(missing[*].v)") == nil)
        #expect(throws: ExpressionError.self) { try Expression("left(a, 0)") }
    }

    @Test func lintReportsBadDerivedFieldsAndChecks() throws {
        let catalog = TopicCatalog(topics: [try TopicSpecParser.parse(Self.topic, file: "t.yaml")])
        let text = """
            name: bad
            input: {topics: [raw.pay.v1]}
            routes:
              - topic: crm.payments.v1
                fields:
                  payment_id: id
                  stage: {const: received}
                  gross_amount: {expr: "$out.net_amount + 1"}
                  fee: {const: 0}
                  net_amount: {expr: "$out.gross_amount - $out.phone"}
                checks:
                  - expr: nonsense > 1
            """
        let messages = ConnectorLinter.lint(text: text, file: "bad.yaml", catalog: catalog, samples: nil).filter { $0.severity == .error }.map(\.message)
        #expect(messages.contains { $0.contains("$out.phone is not a field this route writes") }, "\(messages)")
        #expect(messages.contains { $0.contains("depends on itself through $out") }, "\(messages)")
        #expect(messages.contains { $0.contains("reads 'nonsense', which is not a field of crm.payments.v1") }, "\(messages)")
        let unknownCode = "name: x\ninput: {topics: [raw.pay.v1]}\nroutes:\n  - topic: crm.payments.v1\n    checks: [{expr: a, code: made_up}]\n"
        #expect(throws: ConfigProblems.self) { try ConnectorSpecParser.parse(unknownCode, file: "x.yaml") }
    }
}
