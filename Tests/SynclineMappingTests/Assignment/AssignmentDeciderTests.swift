import Foundation
import SynclineMapping
import Testing

/// Issue 17, lead assignment: the pure decision over plain values — rules, dates, weights,
/// capacity, the pool — and the decision path `syncline assign --explain` prints.
@Suite("lead assignment: rules decide an owner or the pool, and say why")
struct AssignmentDeciderTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    static func shipped() throws -> (AssignmentRules, [ConfigProblem]) {
        let spec = try ConnectorSpecParser.load(file: root.appendingPathComponent("connectors/assignment.yaml"))
        let (rules, problems) = AssignmentRulesParser.parse(spec: spec)
        return (try #require(rules), problems)
    }

    static func lead(_ id: String, city: String? = nil, interest: String? = nil, level: String? = nil, source: String? = nil) -> AssignmentLead {
        var fields: [String: String] = [:]
        fields["city"] = city
        fields["interest"] = interest
        fields["customer_level"] = level
        fields["source_channel"] = source
        return AssignmentLead(leadID: id, fields: fields)
    }

    @Test("the shipped rules load without errors; validate warns about the north team weighing 0 until 2027-01-01")
    func shippedRules() throws {
        let (rules, problems) = try Self.shipped()
        #expect(problems.filter { $0.severity == .error }.isEmpty, "\(problems)")
        let warnings = problems.filter { $0.severity == .warning }.map(\.message)
        #expect(warnings.count == 1 && warnings.first?.contains("team north weighs 0 from 2026-01-01 until 2027-01-01") == true, "\(warnings)")
        #expect(rules.rules.map(\.name) == ["vip-tech", "east", "south", "north", "west-social"])
        #expect(rules.utcOffsetMinutes == 480)
    }

    @Test("an east lead goes round robin by position; a VIP tech lead to its named owner until that owner is at capacity")
    func roundRobinAndCapacity() throws {
        let decider = AssignmentDecider(rules: try Self.shipped().0)
        let east = Self.lead("L1", city: "上海", interest: "雅思 7 分冲刺", level: "B")
        #expect(decider.decide(east, day: "2026-12-01", sequence: 0).owner == "li.wei")
        #expect(decider.decide(east, day: "2026-12-01", sequence: 1).owner == "wang.fang")
        #expect(decider.decide(east, day: "2026-12-01", sequence: 2).owner == "li.wei")
        let vip = Self.lead("L2", city: "上海", interest: "Python 数据分析", level: "A")
        let first = decider.decide(vip, day: "2026-12-01")
        #expect(first.owner == "zhao.lei" && first.rule == "vip-tech" && first.team == nil)
        let full = decider.decide(vip, day: "2026-12-01", load: ["zhao.lei": 60], sequence: 0)
        #expect(full.rule == "east" && full.owner == "li.wei")
        #expect(full.steps.first == .init(rule: "vip-tech", skipped: .capacity, detail: "owner zhao.lei is at capacity (60 a day)"))
        #expect(decider.decide(east, day: "2026-12-01", load: ["li.wei": 400], sequence: 0).owner == "wang.fang", "a full owner is passed over")
    }

    @Test("weights choose in proportion, the same owner for the same lead every time, and follow their effective dates")
    func weights() throws {
        let decider = AssignmentDecider(rules: try Self.shipped().0)
        func counts(_ day: String) -> [String: Int] {
            var counts: [String: Int] = [:]
            for index in 0..<4_000 { counts[decider.decide(Self.lead("lead-\(index)", city: "广州"), day: day).owner ?? "-", default: 0] += 1 }
            return counts
        }
        let before = counts("2026-05-31")
        let after = counts("2026-06-01")
        #expect(abs(Double(before["zhang.min"] ?? 0) / 4_000 - 0.75) < 0.03, "3:1 before June: \(before)")
        #expect(abs(Double(after["zhang.min"] ?? 0) / 4_000 - 0.6) < 0.03, "3:2 from June: \(after)")
        let lead = Self.lead("repeat-me", city: "深圳")
        #expect(decider.decide(lead, day: "2026-07-01") == decider.decide(lead, day: "2026-07-01"))
    }

    @Test("a north lead in 2026 finds every weight 0 until 2027-01-01 and goes to the pool; in 2027 it is assigned")
    func zeroWeightUntil() throws {
        let decider = AssignmentDecider(rules: try Self.shipped().0)
        let lead = Self.lead("L3", city: "北京", interest: "CFA 一级", level: "B", source: "baidu")
        let decision = decider.decide(lead, day: "2026-12-01")
        #expect(decision.pool == "unassigned" && decision.owner == nil && decision.rule == "pool")
        let north = try #require(decision.steps.first { $0.rule == "north" })
        #expect(north.skipped == .zeroWeight)
        #expect(north.detail == "weight 0 for every owner of team north until 2027-01-01")
        #expect(decision.explanation.contains("4. north: skipped (zero_weight) — weight 0 for every owner of team north until 2027-01-01"))
        #expect(["liu.yang", "sun.li"].contains(decider.decide(lead, day: "2027-01-01").owner ?? ""))
    }

    @Test("an empty city skips every region rule with 'city is empty'; an unknown city says so; the lead goes to the pool")
    func emptyAndUnknownCity() throws {
        let decider = AssignmentDecider(rules: try Self.shipped().0)
        let empty = decider.decide(Self.lead("L4", interest: "Java 高级开发", level: "C", source: "wechat"), day: "2026-12-01")
        #expect(empty.pool == "unassigned")
        #expect(empty.steps.map(\.skipped) == [.noMatch, .fieldEmpty, .fieldEmpty, .fieldEmpty, .fieldEmpty])
        #expect(empty.steps[1].detail == "city is empty")
        let unknown = decider.decide(Self.lead("L5", city: "拉萨"), day: "2026-12-01")
        #expect(unknown.steps.dropFirst().allSatisfy { $0.skipped == .unknownRegion && $0.detail == "city 拉萨 is in no region" })
        let west = decider.decide(Self.lead("L6", city: "成都", source: "douyin"), day: "2026-12-01")
        #expect(west.owner == "liu.yang" && west.rule == "west-social")
        #expect(west.steps[1].detail == "region is west, rule wants east")
    }

    @Test("the lead reads from a crm.leads.v1 record: trimmed fields, occurred_at, no lead_id → nil")
    func leadFromDocument() throws {
        let document = try JSONParser.parse(#"{"lead_id":"mkt-1","city":"  杭州 ","interest":"","customer_level":"A","occurred_at":"2026-11-30T23:30:00Z"}"#)
        let lead = try #require(AssignmentLead(document: document))
        #expect(lead.value(.city) == "杭州" && lead.value(.interest) == nil && lead.value(.level) == "A")
        let decider = AssignmentDecider(rules: try Self.shipped().0)
        #expect(decider.day(ofMs: try #require(lead.occurredAtMs)) == "2026-12-01", "local day at +08:00")
        #expect(AssignmentLead(document: try JSONParser.parse(#"{"city":"x"}"#)) == nil)
    }
}
