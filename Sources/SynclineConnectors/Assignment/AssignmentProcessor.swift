public import SynclineMapping

/// `processor: assignment` — lead assignment: the declared decode stage, then `AssignmentStage`
/// (each lead → its owner or the pool on crm.lead_assignments.v1), from the rules in
/// `processor_options.rules` (read and checked by `AssignmentRulesParser`). Stateless.
public struct AssignmentProcessor: ConnectorProcessor {
    public let name = "assignment"
    public let options = [
        ProcessorOption("rules", "the roster, regions, teams, rules and pool (required; see the README's \"Lead assignment\")"),
    ]

    public init() {}

    public func outputTopics(connector: String) -> [String] { [TopicNames.leadAssignments] }

    /// Unknown options, and every problem with the rules (errors and warnings).
    public func problems(_ spec: ConnectorSpec) -> [ConfigProblem] {
        ProcessorOptions(spec: spec, known: optionNames).problems + AssignmentRulesParser.parse(spec: spec).problems
    }

    public func parts(for spec: ConnectorSpec, declared: RecordPipeline, context: ProcessorContext) throws(ConfigProblems) -> ProcessorParts {
        let (rules, problems) = AssignmentRulesParser.parse(spec: spec)
        let errors = problems.filter { $0.severity == .error }
        guard let rules, errors.isEmpty else { throw ConfigProblems(errors) }
        return ProcessorParts(pipeline: RecordPipeline(stages: declaredStages(spec, declared) + [
            AssignmentStage(
                rules: rules, connector: spec.name, mappingVersion: spec.mappingVersion, catalog: context.catalog,
                counters: context.counters),
        ]))
    }
}
