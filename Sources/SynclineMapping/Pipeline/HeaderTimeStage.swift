/// For connectors that do not decode their payload (plain routes): takes the event id and the
/// source time from the CloudEvents `ce_id` / `ce_time` headers, so such records are timed too.
/// A missing or unparseable `ce_time` is noted, never a rejection.
public struct HeaderTimeStage: RecordStage {
    public let name = "headers"
    public let timestamps: TimestampParser

    public init(timestamps: TimestampParser = .utc) {
        self.timestamps = timestamps
    }

    public func process(_ context: inout RecordContext) throws(Rejection) {
        let headers = context.input.headers
        if context.eventID == nil, let id = headers.last(named: HeaderNames.ceID)?.text, !id.isEmpty {
            context.eventID = id
        }
        guard context.sourceTimeMs == nil else { return }
        guard let text = headers.last(named: HeaderNames.ceTime)?.text, !text.isEmpty else {
            context.sourceTimeProblem = "missing"
            return
        }
        if let ms = try? timestamps.milliseconds(text) {
            context.sourceTimeMs = ms
            context.sourceTimeProblem = nil
        } else {
            context.sourceTimeProblem = "unparseable"
        }
    }
}
