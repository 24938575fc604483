import Foundation
import Testing
import SynclineMapping
import SynclineTooling

@Suite struct FixtureRunnerTests {
    static let fixture = """
        cases:
          - name: form submit with a messy phone
            input:
              key: k1
              headers: {traceparent: 00-abc-def-01}
              value:
                event_id: ev-1
                event_type: form_submit
                occurred_at: "2024-05-01T20:00:00+08:00"
                utm: {source: wechat}
                fields: {姓名: 韩梅梅, 手机: "0086 138 0013 8000", 客户_等级_v2: 低, 预算: "99.9"}
            expect:
              outputs:
                - topic: crm.leads.v1
                  key: ev-1
                  value:
                    lead_id: ev-1
                    source: ads
                    name: 韩梅梅
                    phone: "+8613800138000"
                    customer_level: C
                    submitted_at: "2024-05-01T12:00:00.000Z"
                    budget: 99.90
                    subscribed: false
                    extra: {}
          - name: raw JSON text with a bad phone
            input:
              value: '{"event_id":"ev-2","event_type":"form_submit","occurred_at":1714564800000,"fields":{"手机":"138"}}'
            expect:
              rejection: {stage: map, code: invalid_phone, field: phone}
          - name: not JSON at all
            input:
              value: "<xml/>"
            expect:
              rejection: {stage: decode, code: invalid_json}
        """

    @Test func passingFixtures() throws {
        let spec = try TestSupport.spec(TestSupport.marketing)
        let results = FixtureRunner.run(spec, catalog: try TestSupport.catalog(), text: Self.fixture, file: "t.yaml")
        #expect(results.count == 3)
        for result in results { #expect(result.passed, "\(result)") }
    }

    @Test func failuresCarryAReadableDiff() throws {
        let wrong = Self.fixture
            .replacingOccurrences(of: "customer_level: C", with: "customer_level: B")
            .replacingOccurrences(of: "budget: 99.90", with: "budget: 99.9\n            city: 上海")
            .replacingOccurrences(of: "code: invalid_phone, field: phone", with: "code: invalid_email, field: email")
        let spec = try TestSupport.spec(TestSupport.marketing)
        let results = FixtureRunner.run(spec, catalog: try TestSupport.catalog(), text: wrong, file: "t.yaml")
        try #require(results.map(\.passed) == [false, false, true])
        let diff = results[0].diff
        #expect(diff.contains("outputs[0].value.customer_level: expected 'B', got 'C'"))
        #expect(diff.contains("outputs[0].value.budget: expected 99.9, got 99.90"))
        #expect(diff.contains("outputs[0].value.city: expected '上海', missing"))
        #expect(results[1].diff.contains("code: expected invalid_email, got invalid_phone"))
        #expect(results[1].diff.contains("field: expected email, got phone"))
        #expect(results[0].description.hasPrefix("FAIL marketing t.yaml — form submit with a messy phone"))
    }

    @Test func malformedFixtureFileIsReported() throws {
        let spec = try TestSupport.spec(TestSupport.marketing)
        let text = "cases:\n  - name: x\n    input: {value: '{}'}\n    expect: {rejection: {stage: parse, code: nope}}\n"
        let results = FixtureRunner.run(spec, catalog: try TestSupport.catalog(), text: text, file: "bad.yaml")
        #expect(results.count == 1)
        #expect(results.first?.passed == false)
        #expect(results.first?.diff.contains { $0.contains("unknown stage 'parse'") } == true)
    }

    /// Runs every fixture shipped under connectors/tests/ against the shipped topics (none yet is fine).
    @Test func shippedConnectorFixturesPass() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let connectors = root.appendingPathComponent("connectors")
        let hasConnectors = ((try? FileManager.default.contentsOfDirectory(atPath: connectors.path)) ?? []).contains { $0.hasSuffix(".yaml") }
        guard hasConnectors else { return }
        let catalog = try TopicCatalog.load(directory: root.appendingPathComponent("topics"))
        for result in FixtureRunner.runAll(connectorsDirectory: connectors, catalog: catalog) {
            #expect(result.passed, "\(result)")
        }
    }
}

@Suite struct ConnectorDocumentationTests {
    /// The connector guide lists every error code with its meaning (the list is a documented contract).
    @Test func readmeListsEveryErrorCode() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let readme = try String(contentsOf: root.appendingPathComponent("connectors/README.md"), encoding: .utf8)
        for code in ErrorCode.allCases {
            #expect(readme.contains("| `\(code.rawValue)` |"), "connectors/README.md does not list \(code.rawValue)")
        }
    }

    @Test func readmeExampleParses() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let readme = try String(contentsOf: root.appendingPathComponent("connectors/README.md"), encoding: .utf8)
        let start = try #require(readme.range(of: "```yaml\nname: marketing"))
        let rest = readme[start.upperBound...]
        let end = try #require(rest.range(of: "```"))
        let text = "name: marketing" + String(rest[..<end.lowerBound])
        let spec = try ConnectorSpecParser.parse(text, file: "README.md")
        #expect(spec.routes.count == 2)
        #expect(spec.routes[0].fields.count == 14)
        #expect(spec.routes[0].extra?.into == "extra")
        // Against the shipped topics when present (crm.leads.v1), the example has no lint errors.
        let topics = root.appendingPathComponent("topics")
        if let catalog = try? TopicCatalog.load(directory: topics), catalog["crm.leads.v1"] != nil, catalog["hub.audit.v1"] != nil {
            let errors = ConnectorLinter.lint(spec, catalog: catalog, samples: nil).filter { $0.severity == .error }
            #expect(errors.isEmpty, "\(errors)")
        }
    }
}
