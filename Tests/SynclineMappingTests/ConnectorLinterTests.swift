import Foundation
import Testing
import SynclineMapping

@Suite struct ConnectorLinterTests {
    /// A connector whose only route maps every required leads field; `rules` adds or overrides fields.
    func connector(_ rules: String, routeExtra: String = "", top: String = "") -> String {
        """
        name: demo
        input: {topics: [raw.marketing.events.v1]}
        event_id: event_id
        source_timestamp: occurred_at
        \(top)
        routes:
          - name: leads
            topic: crm.leads.v1
            key: lead_id
        \(routeExtra)
            fields:
              lead_id: event_id
              source: {const: web}
              submitted_at: occurred_at
        \(rules)
        """
    }

    func lint(_ text: String, samples: [JSONValue]? = nil) throws -> [ConfigProblem] {
        ConnectorLinter.lint(text: text, file: "connectors/demo.yaml", catalog: try TestSupport.catalog(), samples: samples)
    }

    func errors(_ problems: [ConfigProblem]) -> [ConfigProblem] { problems.filter { $0.severity == .error } }

    @Test func cleanConnectorHasNoProblems() throws {
        #expect(try lint(connector("")) == [])
        #expect(try lint(TestSupport.marketing).filter { $0.severity == .error } == [])
    }

    @Test func targetNotInSchema() throws {
        let problems = try errors(lint(connector("      industri: fields.行业")))
        let problem = try #require(problems.first)
        #expect(problems.count == 1)
        #expect(problem.message.contains("'industri' is not in the schema of crm.leads.v1"))
        #expect(problem.message.contains("did you mean 'industry'"))
        #expect(problem.connector == "demo")
        #expect(problem.route == "leads")
        #expect(problem.field == "routes[0].fields.industri")
        #expect(problem.file == "connectors/demo.yaml")
    }

    @Test func requiredFieldNotMapped() throws {
        let text = connector("").replacingOccurrences(of: "      submitted_at: occurred_at\n", with: "")
        let problems = try errors(lint(text))
        #expect(problems.count == 1)
        #expect(problems.first?.message.contains("required field 'submitted_at'") == true)
        #expect(problems.first?.route == "leads")
    }

    @Test func twoRulesWritingOneField() throws {
        let text = """
            name: demo
            input: {topics: [raw.marketing.events.v1]}
            routes:
              - name: leads
                topic: crm.leads.v1
                fields:
                  - {to: lead_id, from: event_id}
                  - {to: source, const: web}
                  - {to: submitted_at, from: occurred_at}
                  - {to: city, from: fields.城市}
                  - {to: city, from: fields.所在城市}
            """
        let problems = try errors(lint(text))
        #expect(problems.count == 1)
        #expect(problems.first?.message.contains("'city' is written by 2 rules") == true)
    }

    @Test func duplicateYAMLKeysAreRefusedWithTheLine() throws {
        let problems = try lint(connector("      city: fields.城市\n      city: fields.所在城市"))
        #expect(problems.count == 1)
        #expect(problems.first?.description.contains("city") == true)
    }

    @Test func typeIncompatibleWithSchema() throws {
        let problems = try errors(lint(connector("      budget: {from: fields.预算, type: timestamp}")))
        #expect(problems.count == 1)
        #expect(problems.first?.message.contains("rule type timestamp is incompatible with the schema type decimal(scale 2)") == true)
        #expect(problems.first?.field == "routes[0].fields.budget.type")
    }

    @Test func enumMapProducingValuesOutsideTheDomain() throws {
        let problems = try errors(lint(connector("      customer_level: {from: fields.等级, map: {高: high, 中: B}}")))
        #expect(problems.count == 1)
        #expect(problems.first?.message.contains("map produces 'high' (from 高)") == true)
        let none = try errors(lint(connector("      industry: {from: fields.等级, map: {高: A, 中: B}}")))
        #expect(none.contains { $0.message.contains("cannot produce any value of [education, finance, retail, other]") })
    }

    @Test func enumMapNotCoveringTheDomainIsAWarning() throws {
        let problems = try lint(connector("      customer_level: {from: fields.等级, map: {高: A, 中: B}}"))
        #expect(problems.count == 1)
        #expect(problems.first?.severity == .warning)
        #expect(problems.first?.message.contains("'C'") == true)
    }

    @Test func constantOrDefaultOutsideTheDomain() throws {
        let problems = try errors(lint(connector("").replacingOccurrences(of: "source: {const: web}", with: "source: {const: website}")))
        #expect(problems.count == 1)
        #expect(problems.first?.field == "routes[0].fields.source.const")
        let defaults = try errors(lint(connector("      industry: {from: fields.行业, default: banking}")))
        #expect(defaults.first?.field == "routes[0].fields.industry.default")
    }

    @Test func targetNamesNotSnakeCaseGetASuggestedFix() throws {
        let spaced = try errors(lint(connector("      Customer Level: fields.等级")))
        #expect(spaced.contains { $0.message.contains("'Customer Level' is not lower snake_case ASCII; rename it to 'customer_level'") })
        #expect(spaced.contains { $0.message.contains("did you mean 'customer_level'") })
        let chinese = try errors(lint(connector("      客户_等级_v2: fields.客户_等级_v2")))
        #expect(chinese.contains { $0.message.contains("rename it to 'customer_level_v2'") })
        let unknown = try errors(lint(connector("      喜好: fields.喜好")))
        #expect(unknown.contains { $0.message.contains("e.g. 'field'") })
    }

    @Test func suggestions() {
        #expect(NameSuggester.suggest("Customer Level").name == "customer_level")
        #expect(NameSuggester.suggest("customerLevel").name == "customer_level")
        #expect(NameSuggester.suggest("客户_等级_v2") == ("customer_level_v2", true))
        #expect(NameSuggester.suggest("所在城市") == ("city", true))
        #expect(NameSuggester.suggest("2nd phone").name == "f_2nd_phone")
        #expect(NameSuggester.suggest("喜好_v2") == ("field_v2", false))
    }

    @Test func outputTopicNotInCatalog() throws {
        let text = connector("").replacingOccurrences(of: "topic: crm.leads.v1", with: "topic: crm.lead.v1")
        let problems = try errors(lint(text))
        #expect(problems.count == 1)
        #expect(problems.first?.message.contains("'crm.lead.v1' is not in the topic catalog") == true)
        #expect(problems.first?.message.contains("did you mean crm.leads.v1") == true)
    }

    @Test func keyNotMapped() throws {
        let text = connector("").replacingOccurrences(of: "key: lead_id", with: "key: lead_code")
        let problems = try errors(lint(text))
        #expect(problems.first?.message.contains("key field 'lead_code' is not mapped") == true)
    }

    @Test func everyProblemIsReportedNotJustTheFirst() throws {
        let rules = "      Customer Level: fields.等级\n      industri: fields.行业\n      budget: {from: fields.预算, type: bool}"
        let problems = try errors(lint(connector(rules)))
        #expect(problems.count >= 4)
        #expect(problems.allSatisfy { $0.connector == "demo" && $0.route == "leads" && $0.field.hasPrefix("routes[0].fields.") })
    }

    static let samples: [JSONValue] = (0..<6).map { index in
        .object([
            "event_id": .string("e\(index)"),
            "occurred_at": index == 5 ? .null : .number("1714564800000"),
            "fields": .object([
                "客户_等级_v2": .string(["高", "中", "低"][index % 3]),
                "行业": .string("education"),
                "手机": .string(index == 0 ? "n/a" : "1380013800\(index)"),
            ]),
        ])
    }

    @Test func misMappingCustomerLevelOntoIndustryIsCaught() throws {
        let problems = try lint(connector("      industry: fields.客户_等级_v2"), samples: Self.samples)
        let problem = try #require(problems.first { $0.message.contains("likely mis-mapping") })
        #expect(problem.severity == .error)
        #expect(problem.field == "routes[0].fields.industry")
        #expect(problem.message.contains("100% (6 of 6)"))
        #expect(problem.message.contains("from fields.客户_等级_v2"))
        #expect(problem.message.contains("'高', '中', '低'"))
        #expect(problem.message.contains("value_not_in_enum"))
        // The correct mapping passes.
        let right = try lint(connector("      industry: fields.行业\n      customer_level: {from: fields.客户_等级_v2, map: {高: A, 中: B, 低: C}}"), samples: Self.samples)
        #expect(!right.contains { $0.message.contains("mis-mapping") })
    }

    @Test func minorityFailuresAreAWarningAndThresholdIsConfigurable() throws {
        let text = connector("      phone: fields.手机")
        let problems = try lint(text, samples: Self.samples)
        let warning = try #require(problems.first { $0.message.contains("do not fit field 'phone'") })
        #expect(warning.severity == .warning)
        #expect(warning.message.contains("17% (1 of 6)"))
        let strict = ConnectorLinter.lint(
            text: text, file: "f", catalog: try TestSupport.catalog(), samples: Self.samples,
            options: ConnectorLinter.Options(misMappingThreshold: 0.1))
        #expect(strict.contains { $0.severity == .error && $0.message.contains("likely mis-mapping") })
    }

    @Test("the warning says what on_error does: DLQ by default; with omit, the field is left empty (or required_missing if required)")
    func warningRespectsOnError() throws {
        let reject = try #require(try lint(connector("      phone: fields.手机"), samples: Self.samples).first { $0.message.contains("do not fit field 'phone'") })
        #expect(reject.message.hasSuffix("such records will go to the DLQ"))
        let omit = try #require(try lint(connector("      phone: {from: fields.手机, on_error: omit}"), samples: Self.samples).first { $0.message.contains("do not fit field 'phone'") })
        #expect(!omit.message.contains("will go to the DLQ"))
        #expect(omit.message.contains("on_error: omit leaves the field empty"))
    }

    @Test("every topic a connector names must be declared: inputs, DLQ and plain routes, with the nearest name")
    func undeclaredTopics() throws {
        let text = """
            name: demo
            input: {topics: [raw.marketing.event.v1]}
            dlq: hub.dlq.demo.v1
            routes:
              - {name: all, topic: hub.audit.v1}
              - {name: typo, topic: hub.audti.v1}
            """
        let spec = try ConnectorSpecParser.parse(text, file: "connectors/demo.yaml")
        let problems = ConnectorLinter.undeclaredTopics(spec, catalog: try TestSupport.catalog())
        #expect(problems.map(\.field) == ["input.topics", "dlq", "routes[1].topic"])
        #expect(problems.allSatisfy { $0.severity == .error })
        #expect(problems[0].message.contains("did you mean raw.marketing.events.v1?"))
        #expect(problems[2].message.contains("did you mean hub.audit.v1?"))
    }

    @Test func sourcePathsNeverInSamples() throws {
        let problems = try lint(connector("      city: fields.城市"), samples: Self.samples)
        let problem = try #require(problems.first { $0.field == "routes[0].fields.city.from" })
        #expect(problem.severity == .warning)
        #expect(problem.message.contains("'fields.城市' occurs in none of the 6 sample records"))
    }

    @Test func envelopePathsMissingFromSamples() throws {
        let problems = try lint(connector("").replacingOccurrences(of: "event_id: event_id\n", with: "event_id: id\n"), samples: Self.samples)
        #expect(problems.contains { $0.severity == .error && $0.field == "event_id" && $0.message.contains("none of the 6") })
        let time = try lint(connector(""), samples: Self.samples)
        #expect(time.contains { $0.severity == .warning && $0.field == "source_timestamp" && $0.message.contains("1 of 6") })
    }

    @Test func descriptionNamesFileConnectorRouteAndField() throws {
        let problem = try #require(try errors(lint(connector("      industri: fields.行业"))).first)
        #expect(problem.description.hasPrefix("error: connectors/demo.yaml connector demo route leads field routes[0].fields.industri:"))
    }
}

@Suite struct SourceNameMisMappingTests {
    @Test func sourceNamedLikeAnotherFieldIsFlaggedEvenForFreeTextTargets() throws {
        // industry as free text (as in the shipped crm.leads.v1): values cannot betray the mistake, the name does.
        let topic = try TopicSpecParser.parse("""
            name: crm.leads.v1
            partitions: 1
            schema:
              lead_id: {type: string, required: true}
              event_id: {type: string}
              industry: {type: string}
              customer_level: {type: enum, values: [A, B, C]}
            """, file: "t.yaml")
        let text = """
            name: demo
            input: {topics: [raw.marketing.events.v1]}
            routes:
              - name: leads
                topic: crm.leads.v1
                fields:
                  lead_id: event_id
                  event_id: event_id
                  industry: fields.客户_等级_v2
            """
        let problems = ConnectorLinter.lint(text: text, file: "c.yaml", catalog: TopicCatalog(topics: [topic]), samples: nil)
        #expect(problems.count == 1)
        #expect(problems.first?.message.contains("'fields.客户_等级_v2' reads like the schema field 'customer_level', but it is mapped onto 'industry'") == true)
        #expect(problems.first?.field == "routes[0].fields.industry")
        // lead_id ← event_id is not flagged: event_id is mapped by its own rule.
    }
}
