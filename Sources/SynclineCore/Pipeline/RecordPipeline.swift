/// The ordered stages of a connector; running it turns one input into outputs or a rejection.
public struct RecordPipeline: Sendable {
    public var stages: [any RecordStage]

    public init(stages: [any RecordStage]) {
        self.stages = stages
    }

    public func run(_ input: InputRecord) -> Result<RecordContext, Rejection> {
        var context = RecordContext(input: input)
        do {
            for stage in stages {
                try stage.process(&context)
            }
        } catch {
            return .failure(error)
        }
        return .success(context)
    }
}
