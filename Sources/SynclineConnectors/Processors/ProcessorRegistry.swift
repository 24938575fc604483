public import SynclineMapping

/// The one list of code-level processors a connector file may name (`processor: im`): the
/// assembly builds through it, `syncline validate` checks names and options against it.
/// `ConnectorSpec.statefulProcessors` and `processorOutputTopics` (SynclineMapping, which cannot
/// see this module) repeat two facts of it for the lineage and trace tools; a test keeps them equal.
public enum ProcessorRegistry {
    public static let processors: [any ConnectorProcessor] = [
        IMProcessor(),
        TelephonyProcessor(),
        AssignmentProcessor(),
    ]

    public static var names: [String] { processors.map(\.name).sorted() }

    public static func processor(named name: String) -> (any ConnectorProcessor)? {
        processors.first { $0.name == name }
    }

    /// The processor a connector names, or a problem on its `processor` field when none is registered
    /// under that name; nil for a connector without a processor.
    static func resolve(_ spec: ConnectorSpec) throws(ConfigProblems) -> (any ConnectorProcessor)? {
        guard let name = spec.processor else { return nil }
        guard let processor = processor(named: name) else {
            throw ConfigProblems([ConfigProblem(
                file: spec.file, field: "processor",
                message: "unknown processor '\(name)' (known: \(names.joined(separator: ", ")))", connector: spec.name)])
        }
        return processor
    }

    /// `syncline validate`'s check of `processor:` and `processor_options:` — an unknown processor,
    /// an option the processor does not declare, a malformed value (errors and warnings).
    public static func problems(_ spec: ConnectorSpec) -> [ConfigProblem] {
        do throws(ConfigProblems) {
            return try resolve(spec)?.problems(spec) ?? []
        } catch {
            return error.problems
        }
    }
}
