public import SynclineMapping

/// A code-level processor a connector file names with `processor:` (im, telephony, assignment):
/// its name, the options it reads (each documented), and the parts it adds to the connector's
/// declared pipeline. Each lives in its own folder and is listed once, in `ProcessorRegistry`.
public protocol ConnectorProcessor: Sendable {
    /// The value of `processor:` that selects it.
    var name: String { get }
    /// The `processor_options:` it reads; any other option is reported as unknown.
    var options: [ProcessorOption] { get }
    /// True when its state follows the input partitions: under `syncline up` it runs as two loops
    /// (a re-keying front loop, and a stateful one restored from `hub.state.<connector>.v1`).
    var keepsPartitionState: Bool { get }
    /// Topics it writes besides the declared routes (for the tools that draw or follow a connector).
    func outputTopics(connector: String) -> [String]
    /// Every problem with the connector's options (for `syncline validate`), building nothing.
    func problems(_ spec: ConnectorSpec) -> [ConfigProblem]
    /// The stages, emitters and — given Kafka in `context` — restorer and front loop it runs, after
    /// the connector's `declared` pipeline.
    func parts(for spec: ConnectorSpec, declared: RecordPipeline, context: ProcessorContext) throws(ConfigProblems) -> ProcessorParts
}

extension ConnectorProcessor {
    public var optionNames: Set<String> { Set(options.map(\.name)) }
    public var keepsPartitionState: Bool { false }
    public func outputTopics(connector: String) -> [String] { [] }

    /// By default: the options the processor does not declare.
    public func problems(_ spec: ConnectorSpec) -> [ConfigProblem] {
        ProcessorOptions(spec: spec, known: optionNames).problems
    }

    /// The declared stages a processor keeps: with routes, the whole declared pipeline; without,
    /// only decoding (the declaration's `input.format`, `event_id`, `source_timestamp`).
    public func declaredStages(_ spec: ConnectorSpec, _ declared: RecordPipeline) -> [any RecordStage] {
        spec.routes.isEmpty ? [DecodeStage(spec: spec)] : declared.stages
    }
}
