/// The checks of a whole rule set that `syncline validate` reports (as warnings: the hub still
/// runs such rules, but they do not do what their author meant): a rule no lead can ever reach
/// because an earlier rule always takes its leads first, and a weighted team whose every owner
/// weighs 0 on some day while a rule sends leads to it.
public enum AssignmentRulesCheck {
    public static func problems(_ rules: AssignmentRules, node: ConfigNode) -> [ConfigProblem] {
        var problems: [ConfigProblem] = []
        for (index, rule) in rules.rules.enumerated() {
            if let earlier = rules.rules[..<index].first(where: { shadows($0, rule, rules) }) {
                problems.append(node.problem(
                    "rule \(rule.name) is unreachable: rule \(earlier.name) comes first and takes every lead it would match",
                    field: node.child("rules[\(index)]")).asWarning)
            }
            guard case .team(let name) = rule.target, let team = rules.team(name), team.choice == .weighted else { continue }
            for gap in zeroWeightPeriods(team) where overlaps(gap, rule.range) {
                let from = gap.from.map { "from \($0)" } ?? "before any weight starts"
                let until = gap.until.map { " until \($0)" } ?? " onwards"
                problems.append(node.problem(
                    "rule \(rule.name): every owner of team \(name) weighs 0 \(from)\(until) — its leads fall through to later rules or the pool",
                    field: node.child("teams.\(name).weights")).asWarning)
            }
        }
        return problems
    }

    /// True when `earlier` takes every lead `later` could match, on every day `later` is in effect,
    /// and can never be skipped once matched (an owner or round-robin team without capacity limits).
    static func shadows(_ earlier: AssignmentRules.Rule, _ later: AssignmentRules.Rule, _ rules: AssignmentRules) -> Bool {
        let coversDates = (earlier.range.from.map { from in later.range.from.map { $0 >= from } ?? false } ?? true)
            && (earlier.range.until.map { until in later.range.until.map { $0 <= until } ?? false } ?? true)
        guard coversDates else { return false }
        for condition in earlier.conditions {
            guard let narrower = later.conditions.first(where: { $0.field == condition.field }) else { return false }
            let wide = Set(condition.values.map { $0.lowercased() })
            guard narrower.values.allSatisfy({ wide.contains($0.lowercased()) }) else { return false }
        }
        switch earlier.target {
        case .owner(let owner):
            return rules.owner(owner)?.capacity == nil
        case .team(let name):
            guard let team = rules.team(name), team.choice == .roundRobin else { return false }
            return team.members.contains { rules.owner($0) != nil && rules.owner($0)?.capacity == nil }
        }
    }

    /// The periods in which every owner of a weighted team weighs 0.
    static func zeroWeightPeriods(_ team: AssignmentRules.Team) -> [AssignmentRules.DateRange] {
        let bounds = Set(team.weights.flatMap { [$0.range.from, $0.range.until] }.compactMap { $0 }).sorted()
        var starts: [String?] = [nil]
        starts += bounds.map { Optional($0) }
        var periods: [AssignmentRules.DateRange] = []
        for (index, start) in starts.enumerated() {
            let day = start ?? "0000-01-01"
            let end = index + 1 < starts.count ? starts[index + 1] : nil
            guard team.members.allSatisfy({ team.weight(of: $0, on: day) == 0 }) else { continue }
            if let last = periods.last, last.until == start, start != nil {
                periods[periods.count - 1].until = end
            } else {
                periods.append(.init(from: start, until: end))
            }
        }
        return periods
    }

    static func overlaps(_ a: AssignmentRules.DateRange, _ b: AssignmentRules.DateRange) -> Bool {
        let startsBeforeBEnds = a.from.map { from in b.until.map { from < $0 } ?? true } ?? true
        let bStartsBeforeAEnds = b.from.map { from in a.until.map { from < $0 } ?? true } ?? true
        return startsBeforeBEnds && bStartsBeforeAEnds
    }
}

extension ConfigProblem {
    var asWarning: ConfigProblem {
        var copy = self
        copy.severity = .warning
        return copy
    }
}
