public import SynclineMapping
import Foundation

/// The `assignment` processor's stage: reads each canonical lead (crm.leads.v1), decides its owner
/// with `AssignmentDecider` (the pure rules) and writes the decision to crm.lead_assignments.v1
/// (lead, owner or pool, rule, reason, the skipped rules), keyed by lead id; the runtime stamps
/// lineage. Counts decisions, pool intake, skipped rules by reason and the empty rate of every
/// field the rules read. Round robin follows the input offset and weights a hash of the lead id,
/// so a redelivered lead gets the same owner without state.
public struct AssignmentStage: RecordStage {
    public let name = "assign"
    public let connector: String
    let decider: AssignmentDecider
    let encoder: CanonicalEncoder
    let counters: (any CounterSink)?
    let load = AssignmentLoad()
    let nowMs: @Sendable () -> Int64

    public init(
        rules: AssignmentRules, connector: String, mappingVersion: String, catalog: TopicCatalog?, counters: (any CounterSink)?,
        nowMs: (@Sendable () -> Int64)? = nil
    ) {
        self.connector = connector
        decider = AssignmentDecider(rules: rules)
        encoder = CanonicalEncoder(
            topic: TopicNames.leadAssignments, connector: connector, mappingVersion: mappingVersion, catalog: catalog,
            explicitNulls: ["owner", "team", "pool"])
        self.counters = counters
        self.nowMs = nowMs ?? { EpochClock.nowMs() }
    }

    public func process(_ context: inout RecordContext) throws(Rejection) {
        guard let document = context.document, let lead = AssignmentLead(document: document) else {
            throw Rejection(stage: .map, code: "required_missing", field: "lead_id", message: "connector \(connector): the lead has no lead_id")
        }
        let now = nowMs()
        let day = decider.day(ofMs: lead.occurredAtMs ?? now)
        let decision = decider.decide(lead, day: day, load: load.counts(on: day), sequence: UInt64(max(0, context.input.offset)))
        if let owner = decision.owner { load.add(owner: owner, on: day) }
        count(decision, lead)
        context.outputs.append(try encoder.encode(
            Self.members(decision, decidedAtMs: now), key: lead.leadID, eventID: "assign-\(lead.leadID)",
            type: "syncline.crm.lead_assignment", timeMs: now))
        context.routes.append(name)
    }

    /// The crm.lead_assignments.v1 fields of a decision.
    public static func members(_ decision: LeadDecision, decidedAtMs: Int64) -> [String: JSONValue] {
        let skipped = decision.steps.compactMap { step -> JSONValue? in
            guard let reason = step.skipped else { return nil }
            return .object(["rule": .string(step.rule), "reason": .string(reason.rawValue), "detail": .string(step.detail)])
        }
        return [
            "lead_id": .string(decision.leadID), "owner": decision.owner.map(JSONValue.string) ?? .null,
            "team": decision.team.map(JSONValue.string) ?? .null, "pool": decision.pool.map(JSONValue.string) ?? .null,
            "rule": .string(decision.rule), "reason": .string(decision.reason), "rules_day": .string(decision.day),
            "skipped_rules": .array(skipped), "decided_at": .string(UTCTimestamp.format(ms: decidedAtMs)),
        ]
    }

    func count(_ decision: LeadDecision, _ lead: AssignmentLead) {
        guard let counters else { return }
        counters.increment(MetricNames.assignmentDecisions, ["connector": connector, "rule": decision.rule], by: 1)
        if let pool = decision.pool { counters.increment(MetricNames.assignmentPoolIntake, ["connector": connector, "pool": pool], by: 1) }
        for step in decision.steps {
            guard let reason = step.skipped, reason != .noMatch else { continue }
            counters.increment(MetricNames.assignmentRuleSkipped, ["connector": connector, "rule": step.rule, "reason": reason.rawValue], by: 1)
        }
        for field in decider.rules.fieldsRead {
            let labels = ["connector": connector, "field": field.leadField]
            counters.increment(MetricNames.fieldSeen, labels, by: 1)
            if lead.value(field) == nil { counters.increment(MetricNames.fieldEmpty, labels, by: 1) }
        }
    }
}
