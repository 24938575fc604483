/// The ordered stages of a connector; running it turns one input into outputs or a rejection.
public struct RecordPipeline: Sendable {
    public let stages: [any RecordStage]
    /// The `ErrorStage` each stage counts as (decode, map, validate, link), as `StageMark` bytes.
    private let marks: [UInt8]

    public init(stages: [any RecordStage]) {
        self.stages = stages
        self.marks = stages.map { StageMark.byte(for: StageMark.errorStage(ofStageNamed: $0.name)) }
    }

    public func run(_ input: InputRecord) -> Result<RecordContext, Rejection> {
        run(input, stageMark: nil)
    }

    /// Runs the record, writing before each stage which kind of stage is running to `stageMark`
    /// (the runtime's crash-mark file), so a crash inside the pipeline can be attributed to
    /// decode, map, validate or link by the next start.
    public func run(_ input: InputRecord, stageMark: UnsafeMutablePointer<UInt8>?) -> Result<RecordContext, Rejection> {
        var context = RecordContext(input: input)
        do {
            for index in stages.indices {
                stageMark?.pointee = marks[index]
                try stages[index].process(&context)
            }
        } catch {
            return .failure(error)
        }
        return .success(context)
    }
}
