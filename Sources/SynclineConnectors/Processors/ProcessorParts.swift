public import SynclineCore
public import SynclineRuntime

/// What a connector runs once its processor is added: the pipeline and its timed emitters.
public struct ProcessorParts: Sendable {
    public var pipeline: RecordPipeline
    public var emitters: [any TimedEmitter]

    public init(pipeline: RecordPipeline, emitters: [any TimedEmitter] = []) {
        self.pipeline = pipeline
        self.emitters = emitters
    }
}
