public import SynclineMapping
public import SynclineRuntime

/// What a connector runs once its processor is added: the pipeline and its timed emitters; for a
/// stateful processor whose state follows its partitions, also the restorer of that state and the
/// front loop (`rekey`) that re-keys raw input into `statefulInput`, the topic the pipeline reads.
public struct ProcessorParts: Sendable {
    public var pipeline: RecordPipeline
    public var emitters: [any TimedEmitter]
    public var restorer: (any PartitionStateRestorer)?
    /// The front loop's pipeline: raw topic → `hub.repartition.<connector>.v1`, keyed by the state's key.
    public var rekey: RecordPipeline?
    /// The topic the stateful pipeline reads (`hub.repartition.<connector>.v1`) when `rekey` is set.
    public var statefulInput: String?

    public init(
        pipeline: RecordPipeline, emitters: [any TimedEmitter] = [], restorer: (any PartitionStateRestorer)? = nil,
        rekey: RecordPipeline? = nil, statefulInput: String? = nil
    ) {
        self.pipeline = pipeline
        self.emitters = emitters
        self.restorer = restorer
        self.rekey = rekey
        self.statefulInput = statefulInput
    }
}
