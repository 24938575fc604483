import Foundation
import Testing
import SynclineMapping

@Suite struct PipelineTests {
    static let validLead = """
        {"event_id":"ev-1","event_type":"form_submit","occurred_at":"2024-05-01T20:00:00+08:00",
         "utm":{"source":"baidu","medium":"cpc"},
         "fields":{"姓名":" 李雷 ","手机":"138 0013 8000","邮箱":"LiLei@Example.COM","所在城市":"上海",
                   "客户_等级_v2":"高","预算":"1200.5","意向课程":"Swift"}}
        """

    func pipeline(_ text: String = TestSupport.marketing) throws -> RecordPipeline {
        try PipelineBuilder.build(try TestSupport.spec(text), catalog: try TestSupport.catalog())
    }

    @Test func validRecordBecomesCanonicalJSONInSchemaOrder() throws {
        let headers = [RecordHeader("traceparent", "00-abc-def-01"), RecordHeader("x-other", "1"), RecordHeader("ce_id", "ignored")]
        let result = try pipeline().run(TestSupport.record(Self.validLead, headers: headers))
        let context = try result.get()
        #expect(context.routes == ["leads"])
        #expect(context.eventID == "ev-1")
        #expect(context.sourceTimeMs == 1_714_564_800_000)
        let output = try #require(context.outputs.first)
        #expect(output.topic == "crm.leads.v1")
        #expect(TestSupport.text(output.key) == "ev-1")
        #expect(TestSupport.text(output.value) == #"{"lead_id":"ev-1","source":"ads","name":"李雷","phone":"+8613800138000","email":"LiLei@example.com","city":"上海","customer_level":"A","submitted_at":"2024-05-01T12:00:00.000Z","budget":1200.50,"subscribed":false,"extra":{"意向课程":"Swift"}}"#)
        #expect(output.headers == [RecordHeader("traceparent", "00-abc-def-01")])
    }

    @Test func defaultsAndFirstNonEmptyPath() throws {
        let json = """
            {"event_id":"ev-2","event_type":"form_submit","occurred_at":1714564800000,
             "fields":{"手机":"","电话":"010-6552 9988"}}
            """
        let context = try pipeline().run(TestSupport.record(json)).get()
        let value = try JSONParser.parse(try #require(context.outputs.first?.value))
        #expect(value["source"] == .string("web"))
        #expect(value["phone"] == .string("+861065529988"))
        #expect(value["name"] == nil)
        #expect(value["extra"] == .object([:]))
    }

    @Test func passthroughRouteInsideMappedConnectorKeepsTheBytes() throws {
        let json = #"{"event_id":"ev-3","event_type":"page_view","occurred_at":1714564800000}"#
        let context = try pipeline().run(TestSupport.record(json)).get()
        #expect(context.routes == ["audit"])
        #expect(TestSupport.text(context.outputs.first?.value) == json)
    }

    static let invalid: [(String, String, ErrorStage, ErrorCode, String?)] = [
        ("not json", "{oops", .decode, .invalidJSON, nil),
        ("no event id", #"{"event_type":"form_submit","fields":{}}"#, .decode, .eventIDMissing, "event_id"),
        ("no route", #"{"event_id":"e","event_type":"unsubscribe"}"#, .map, .noRoute, nil),
        ("bad phone", #"{"event_id":"e","event_type":"form_submit","occurred_at":1714564800000,"fields":{"手机":"138 0013"}}"#, .map, .invalidPhone, "phone"),
        ("bad email", #"{"event_id":"e","event_type":"form_submit","occurred_at":1714564800000,"fields":{"邮箱":"li@"}}"#, .map, .invalidEmail, "email"),
        ("unknown level", #"{"event_id":"e","event_type":"form_submit","occurred_at":1714564800000,"fields":{"客户_等级_v2":"超高"}}"#, .map, .valueNotInEnum, "customer_level"),
        ("unknown utm source", #"{"event_id":"e","event_type":"form_submit","occurred_at":1714564800000,"utm":{"source":"tiktok"},"fields":{}}"#, .map, .valueNotInEnum, "source"),
        ("missing time", #"{"event_id":"e","event_type":"form_submit","fields":{}}"#, .map, .requiredMissing, "submitted_at"),
        ("bad time", #"{"event_id":"e","event_type":"form_submit","occurred_at":"later","fields":{}}"#, .map, .invalidTimestamp, "submitted_at"),
        ("budget scale", #"{"event_id":"e","event_type":"form_submit","occurred_at":1714564800000,"fields":{"预算":"10.005"}}"#, .map, .decimalScaleExceeded, "budget"),
        ("budget text", #"{"event_id":"e","event_type":"form_submit","occurred_at":1714564800000,"fields":{"预算":"lots"}}"#, .map, .notANumber, "budget"),
        ("long name", #"{"event_id":"e","event_type":"form_submit","occurred_at":1714564800000,"fields":{"姓名":"一二三四五六七八九十一二三四五六七八九十一"}}"#, .map, .tooLong, "name"),
        ("bad bool", #"{"event_id":"e","event_type":"form_submit","occurred_at":1714564800000,"fields":{"订阅":"perhaps"}}"#, .map, .invalidBool, "subscribed"),
    ]

    @Test(arguments: invalid)
    func invalidRecordsAreRejectedWithStageCodeAndField(
        _ name: String, _ json: String, _ stage: ErrorStage, _ code: ErrorCode, _ field: String?
    ) throws {
        let result = try pipeline().run(TestSupport.record(json))
        guard case .failure(let rejection) = result else {
            Issue.record("\(name): accepted")
            return
        }
        #expect(rejection.stage == stage, "\(name): \(rejection)")
        #expect(rejection.code == code.rawValue, "\(name): \(rejection)")
        #expect(rejection.field == field, "\(name): \(rejection)")
        #expect(rejection.message.contains("connector marketing"), "\(name): \(rejection.message)")
        if stage == .map, code != .noRoute {
            #expect(rejection.rule == "leads")
            #expect(rejection.message.contains("route leads"))
            #expect(rejection.message.contains("field \(field ?? "")"))
        }
    }

    @Test func mapMessageNamesTheSourcePath() throws {
        let json = #"{"event_id":"e","event_type":"form_submit","occurred_at":1714564800000,"fields":{"手机":"138 0013"}}"#
        guard case .failure(let rejection) = try pipeline().run(TestSupport.record(json)) else {
            Issue.record("accepted")
            return
        }
        #expect(rejection.message.contains("from fields.手机 | fields.电话"))
        #expect(rejection.message.contains("too short"))
    }

    @Test func erpMoneyIsExact() throws {
        let spec = try TestSupport.spec(TestSupport.erp)
        let pipeline = try PipelineBuilder.build(spec, catalog: try TestSupport.catalog())
        let json = """
            {"id":"WH-1","event_type":"PAYMENT.CAPTURE.COMPLETED","create_time":"2024-05-01T04:00:00Z",
             "resource":{"id":"cap9","amount":{"value":"100.00","currency_code":"RMB"},"paypal_fee":"3.20","fx_loss":0.35}}
            """
        let context = try pipeline.run(TestSupport.record(json)).get()
        let value = try JSONParser.parse(try #require(context.outputs.first?.value))
        #expect(value["net_amount"] == .number("96.45"))
        #expect(value["fee"] == .number("3.20"))
        #expect(value["currency"] == .string("CNY"))
        #expect(value["voucher"] == .string("PP-CAP9"))
        #expect(TestSupport.text(context.outputs.first?.key) == "cap9")
    }

    @Test func validateStageChecksOutputsAgainstTheSchema() throws {
        let catalog = try TestSupport.catalog()
        let stage = ValidateStage(connector: "x", catalog: catalog)
        func check(_ json: String, topic: String = "crm.payments.v1") -> Rejection? {
            var context = RecordContext(input: TestSupport.record("{}"))
            context.outputs = [OutputRecord(topic: topic, key: nil, value: Array(json.utf8))]
            context.routes = ["r"]
            do {
                try stage.process(&context)
                return nil
            } catch {
                return error
            }
        }
        let base = #""payment_id":"p","gross_amount":1.00,"net_amount":1.00,"currency":"CNY""#
        #expect(check("{\(base)}") == nil)
        #expect(check(#"{"payment_id":"p","gross_amount":1.00,"currency":"CNY"}"#)?.code == "required_missing")
        #expect(check("{\(base),\"net_amount2\":1}")?.code == "unknown_field")
        #expect(check(#"{"payment_id":"p","gross_amount":1.001,"net_amount":1,"currency":"CNY"}"#)?.code == "decimal_scale_exceeded")
        #expect(check(#"{"payment_id":"p","gross_amount":"1.00","net_amount":1,"currency":"CNY"}"#)?.code == "wrong_type")
        #expect(check(#"{"payment_id":"p","gross_amount":1,"net_amount":1,"currency":"GBP"}"#)?.code == "value_not_in_enum")
        #expect(check("{\(base),\"received_at\":\"2024-05-01 04:00\"}")?.code == "invalid_timestamp")
        #expect(check("{\(base),\"attempts\":1.5}")?.code == "not_an_integer")
        #expect(check("{\(base),\"payment_id\":null}") != nil)
        #expect(check("[1]")?.code == "invalid_output")
        #expect(check("{}", topic: "crm.nothing.v1")?.code == "unknown_topic")
        #expect(check("{}", topic: "hub.audit.v1") == nil)
        let failure = check(#"{"payment_id":"p","gross_amount":1,"net_amount":1,"currency":"GBP"}"#)
        #expect(failure?.stage == .validate)
        #expect(failure?.field == "currency")
        #expect(failure?.message.contains("route r") == true)
    }

    @Test func plainRouteConnectorPassesNonJSONThrough() throws {
        let spec = try TestSupport.spec("""
            name: relay
            input: {topics: [raw.telephony.calls.v1], format: form}
            routes:
              - {name: all, topic: hub.audit.v1}
            """)
        let pipeline = try PipelineBuilder.build(spec, catalog: try TestSupport.catalog())
        let record = InputRecord(topic: "raw.telephony.calls.v1", partition: 1, offset: 9, key: nil, value: [0xFF, 0x00, 0x01])
        let context = try pipeline.run(record).get()
        #expect(context.outputs.first?.value == [0xFF, 0x00, 0x01])
    }

    @Test func builderRefusesAConnectorWithLintErrors() throws {
        let spec = try TestSupport.spec("""
            name: broken
            input: {topics: [raw.marketing.events.v1]}
            routes:
              - name: leads
                topic: crm.leads.v1
                fields:
                  lead_id: id
            """)
        #expect(throws: ConfigProblems.self) { try PipelineBuilder.build(spec, catalog: try TestSupport.catalog()) }
    }

    @Test func tenThousandRecordsWithFivePercentInvalid() throws {
        let pipeline = try pipeline()
        var produced = 0
        var rejected: [String: Int] = [:]
        for index in 0..<10_000 {
            let phone = index % 20 == 0 ? "12 34" : "138 0013 \(String(format: "%04d", index % 10_000))"
            let json = """
                {"event_id":"ev-\(index)","event_type":"form_submit","occurred_at":\(1_714_564_800_000 + index),
                 "utm":{"source":"web"},"fields":{"姓名":"n\(index)","手机":"\(phone)","客户_等级_v2":"中"}}
                """
            switch pipeline.run(TestSupport.record(json, offset: Int64(index))) {
            case .success(let context): produced += context.outputs.count
            case .failure(let rejection): rejected[rejection.code, default: 0] += 1
            }
        }
        #expect(produced == 9_500)
        #expect(rejected == ["invalid_phone": 500])
    }
}
