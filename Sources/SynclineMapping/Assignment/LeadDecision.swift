/// Where one lead went and why: the owner (or the pool), the rule that decided, a reason, and the
/// decision path — every rule tried in order, matched or skipped and why — for `syncline assign
/// --explain`, the skipped-rule metrics and the assignment record.
public struct LeadDecision: Sendable, Equatable {
    /// Why a rule did not take a lead. `noMatch` is ordinary (the lead is not the rule's); the
    /// others mean the rule could not work for a lead it may have been meant for.
    public enum SkipReason: String, Sendable, CaseIterable {
        case noMatch = "no_match"
        case notEffective = "not_effective"
        case fieldEmpty = "field_empty"
        case unknownRegion = "unknown_region"
        case zeroWeight = "zero_weight"
        case capacity
    }

    public struct Step: Sendable, Equatable {
        public var rule: String
        /// nil: matched (and decided); else why it was skipped.
        public var skipped: SkipReason?
        public var detail: String
        public init(rule: String, skipped: SkipReason?, detail: String) {
            self.rule = rule
            self.skipped = skipped
            self.detail = detail
        }
    }

    public var leadID: String
    public var owner: String?
    public var team: String?
    /// Set when no rule took the lead.
    public var pool: String?
    /// The deciding rule's name, or `pool`.
    public var rule: String
    public var reason: String
    /// The local day the rules were read for (`YYYY-MM-DD`).
    public var day: String
    public var steps: [Step]

    public static let poolRule = "pool"

    /// The decision path as lines for people: one per rule, then the outcome.
    public var explanation: [String] {
        var lines = steps.enumerated().map { index, step in
            "\(index + 1). \(step.rule): " + (step.skipped == nil ? "matched — \(step.detail)" : "skipped (\(step.skipped?.rawValue ?? "")) — \(step.detail)")
        }
        lines.append(owner.map { "→ owner \($0)" + (team.map { " (team \($0))" } ?? "") + " by rule \(rule)" } ?? "→ pool \(pool ?? "") (\(reason))")
        return lines
    }
}
