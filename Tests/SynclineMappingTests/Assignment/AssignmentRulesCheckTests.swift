import SynclineMapping
import Testing

/// `syncline validate` on assignment rules: unknown fields, owners missing from the roster,
/// unknown teams, bad dates, unreachable rules, days on which a team weighs 0 everywhere.
@Suite("lead assignment: validate checks the rules")
struct AssignmentRulesCheckTests {
    static func problems(_ rules: String) throws -> [ConfigProblem] {
        let text = """
            name: assignment
            input: {topics: [crm.leads.v1], format: json}
            event_id: event_id
            dlq: hub.dlq.assignment.v1
            processor: assignment
            processor_options:
              rules:
            \(rules.split(separator: "\n", omittingEmptySubsequences: false).map { "    " + $0 }.joined(separator: "\n"))
            """
        return AssignmentRulesParser.parse(spec: try ConnectorSpecParser.parse(text, file: "assignment.yaml")).problems
    }

    @Test("clean rules have no problems")
    func clean() throws {
        let problems = try Self.problems("""
            pool: p
            roster: [a, b]
            regions: {east: [上海]}
            teams: {t: {choice: round_robin, members: [a, b]}}
            rules:
              - {name: r1, when: {region: east, level: [A, B]}, team: t}
              - {name: r2, when: {source: baidu}, owner: b}
            """)
        #expect(problems.isEmpty, "\(problems)")
    }

    @Test("an unknown field, an owner not in the roster, an unknown team and a bad date are errors naming the field")
    func errors() throws {
        let problems = try Self.problems("""
            pool: p
            roster: [a]
            teams: {t: {choice: weighted, weights: [{owner: ghost, weight: 1}]}}
            rules:
              - {name: r1, when: {provinc: 浙江}, owner: a}
              - {name: r2, owner: nobody}
              - {name: r3, team: missing}
              - {name: r4, owner: a, from: 2026-13-01}
            """)
        let messages = problems.filter { $0.severity == .error }.map(\.message)
        #expect(messages.contains { $0.contains("unknown lead field 'provinc'") })
        #expect(messages.contains("rule r2: owner nobody is not in the roster"))
        #expect(messages.contains("team t: owner ghost is not in the roster"))
        #expect(messages.contains("rule r3: unknown team missing"))
        #expect(messages.contains("expected a date YYYY-MM-DD, found '2026-13-01'"))
        #expect(problems.allSatisfy { $0.connector == "assignment" && $0.file == "assignment.yaml" })
        #expect(problems.contains { $0.field == "processor_options.rules.rules[0].when.provinc" })
    }

    @Test("a rule behind a catch-all (or a wider rule to an owner without capacity) is unreachable; with capacity it is not")
    func unreachable() throws {
        let problems = try Self.problems("""
            pool: p
            roster: [a, {id: b, capacity: 5}]
            rules:
              - {name: wide, when: {level: [A, B]}, owner: a}
              - {name: narrow, when: {level: A, source: baidu}, owner: b}
              - {name: capped, when: {source: wechat}, owner: b}
              - {name: behind-capped, when: {source: wechat, level: C}, owner: a}
              - {name: all, owner: a}
              - {name: never, when: {city: 上海}, owner: b}
            """)
        let warnings = problems.filter { $0.severity == .warning }.map(\.message)
        #expect(warnings.count == 2, "\(warnings)")
        #expect(warnings.contains("rule narrow is unreachable: rule wide comes first and takes every lead it would match"))
        #expect(warnings.contains("rule never is unreachable: rule all comes first and takes every lead it would match"))
    }

    @Test("a weighted team whose weights are all 0 over some days warns for the rules sending leads there, naming the days")
    func zeroWeights() throws {
        let problems = try Self.problems("""
            pool: p
            roster: [a, b]
            teams:
              t:
                choice: weighted
                weights:
                  - {owner: a, weight: 2, until: "2026-01-01"}
                  - {owner: a, weight: 0, from: "2026-01-01", until: "2026-03-01"}
                  - {owner: b, weight: 1, from: "2026-03-01"}
            rules:
              - {name: r1, team: t}
              - {name: r2, team: t, until: "2025-06-01"}
            """)
        let warnings = problems.filter { $0.severity == .warning }.map(\.message)
        #expect(warnings == ["rule r1: every owner of team t weighs 0 from 2026-01-01 until 2026-03-01 — its leads fall through to later rules or the pool"], "\(warnings)")
    }
}
