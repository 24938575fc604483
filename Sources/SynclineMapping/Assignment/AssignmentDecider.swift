/// Decides one lead's owner from the rules, purely: the lead, the local day, how many leads each
/// owner already has that day (capacity), and a sequence number for round robin. Rules are tried in
/// order; the first that matches and can name an owner decides; none → the fallback pool.
/// Choices are deterministic (round robin by `sequence`, weights by a stable hash of the lead id),
/// so a redelivered lead gets the same owner and no choice state needs to follow a partition.
public struct AssignmentDecider: Sendable {
    public let rules: AssignmentRules

    public init(rules: AssignmentRules) {
        self.rules = rules
    }

    /// The local calendar day of `ms` in the rules' time zone.
    public func day(ofMs ms: Int64) -> String {
        String(UTCTimestamp.format(ms: ms + Int64(rules.utcOffsetMinutes) * 60_000).prefix(10))
    }

    public func decide(_ lead: AssignmentLead, day: String, load: [String: Int] = [:], sequence: UInt64? = nil) -> LeadDecision {
        var steps: [LeadDecision.Step] = []
        for rule in rules.rules {
            if let skip = conditionSkip(rule, lead, day: day) {
                steps.append(.init(rule: rule.name, skipped: skip.0, detail: skip.1))
                continue
            }
            switch choose(rule.target, lead: lead, day: day, load: load, sequence: sequence) {
            case .success(let (owner, how)):
                steps.append(.init(rule: rule.name, skipped: nil, detail: how))
                let team: String? = if case .team(let name) = rule.target { name } else { nil }
                return LeadDecision(
                    leadID: lead.leadID, owner: owner, team: team, pool: nil, rule: rule.name,
                    reason: "rule \(rule.name): \(how)", day: day, steps: steps)
            case .failure(let skip):
                steps.append(.init(rule: rule.name, skipped: skip.reason, detail: skip.detail))
            }
        }
        let reason = rules.rules.isEmpty ? "no rules" : "no rule took the lead"
        return LeadDecision(
            leadID: lead.leadID, owner: nil, team: nil, pool: rules.pool, rule: LeadDecision.poolRule,
            reason: reason, day: day, steps: steps)
    }

    /// Why a rule does not apply to the lead on `day` (dates, then each condition in order), or nil.
    func conditionSkip(_ rule: AssignmentRules.Rule, _ lead: AssignmentLead, day: String) -> (LeadDecision.SkipReason, String)? {
        if !rule.range.contains(day) {
            if let from = rule.range.from, day < from { return (.notEffective, "not in effect until \(from)") }
            return (.notEffective, "ended \(rule.range.until ?? "")")
        }
        for condition in rule.conditions {
            let wanted = condition.values.joined(separator: ", ")
            guard let raw = lead.value(condition.field) else {
                return (.fieldEmpty, "\(condition.field.leadField == "city" ? "city" : condition.field.rawValue) is empty")
            }
            var value = raw
            if condition.field == .region {
                guard let region = rules.region(ofCity: raw) else { return (.unknownRegion, "city \(raw) is in no region") }
                value = region
            }
            let lower = value.lowercased()
            let matches = condition.field == .interest
                ? condition.values.contains { lower.contains($0.lowercased()) }
                : condition.values.contains { $0.lowercased() == lower }
            if !matches { return (.noMatch, "\(condition.field.rawValue) is \(value), rule wants \(wanted)") }
        }
        return nil
    }

    struct Skip: Error {
        var reason: LeadDecision.SkipReason
        var detail: String
    }

    func choose(_ target: AssignmentRules.Target, lead: AssignmentLead, day: String, load: [String: Int], sequence: UInt64?) -> Result<(String, String), Skip> {
        func full(_ owner: String) -> Bool {
            guard let capacity = rules.owner(owner)?.capacity else { return false }
            return load[owner, default: 0] >= capacity
        }
        switch target {
        case .owner(let owner):
            if full(owner) { return .failure(Skip(reason: .capacity, detail: "owner \(owner) is at capacity (\(rules.owner(owner)?.capacity ?? 0) a day)")) }
            return .success((owner, "owner \(owner)"))
        case .team(let name):
            guard let team = rules.team(name), !team.members.isEmpty else {
                return .failure(Skip(reason: .zeroWeight, detail: "team \(name) has no members"))
            }
            switch team.choice {
            case .roundRobin:
                let open = team.members.filter { !full($0) }
                guard !open.isEmpty else { return .failure(Skip(reason: .capacity, detail: "every owner of team \(name) is at capacity")) }
                let position = sequence ?? StableHash.of(lead.leadID)
                let owner = open[Int(position % UInt64(open.count))]
                return .success((owner, "team \(name), round robin (\(sequence == nil ? "by lead id" : "position \(position)")) → \(owner)"))
            case .weighted:
                let weighted = team.members.map { ($0, team.weight(of: $0, on: day)) }.filter { $0.1 > 0 }
                guard !weighted.isEmpty else {
                    let next = nextWeightChange(team, after: day)
                    return .failure(Skip(reason: .zeroWeight, detail: "weight 0 for every owner of team \(name)" + (next.map { " until \($0)" } ?? "")))
                }
                let open = weighted.filter { !full($0.0) }
                guard !open.isEmpty else { return .failure(Skip(reason: .capacity, detail: "every owner of team \(name) with a weight is at capacity")) }
                let total = open.reduce(0) { $0 + $1.1 }
                var point = Int(StableHash.of(lead.leadID) % UInt64(total))
                for (owner, weight) in open {
                    if point < weight {
                        return .success((owner, "team \(name), weighted \(open.map { "\($0.0) \($0.1)" }.joined(separator: ", ")) → \(owner)"))
                    }
                    point -= weight
                }
                return .failure(Skip(reason: .zeroWeight, detail: "team \(name): no weight chosen"))
            }
        }
    }

    /// The first day after `day` on which some weight of the team starts or ends.
    func nextWeightChange(_ team: AssignmentRules.Team, after day: String) -> String? {
        team.weights.flatMap { [$0.range.from, $0.range.until] }.compactMap { $0 }.filter { $0 > day }.min()
    }
}
