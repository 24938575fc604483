/// Turns a DLQ record back into the record to re-publish to its source topic after a fix: the
/// original key and bytes, the upstream headers, and `syncline-replay-count` incremented. Refuses
/// a record replayed `maxReplays` times already, so a record cannot loop forever.
public enum DeadLetterReplay {
    public enum Verdict: Sendable, Equatable {
        case republish(OutputRecord, replayCount: Int)
        case refused(reason: String)
    }

    public static func prepare(_ dead: InputRecord, maxReplays: Int) -> Verdict {
        let headers = dead.headers
        guard let source = headers.last(named: HeaderNames.sourceTopic)?.text, !source.isEmpty else {
            return .refused(reason: "no \(HeaderNames.sourceTopic) header: not a Syncline DLQ record")
        }
        let count = headers.last(named: HeaderNames.replayCount)?.text.flatMap { Int($0) } ?? 0
        guard count < maxReplays else {
            return .refused(reason: "already replayed \(count) time(s) (limit \(maxReplays)); fix the cause and raise --max-replays to retry")
        }
        var kept = headers.filter { header in
            !header.name.hasPrefix("syncline-")
        }
        kept.append(RecordHeader(HeaderNames.replayCount, String(count + 1)))
        return .republish(OutputRecord(topic: source, key: dead.key, value: dead.value, headers: kept), replayCount: count + 1)
    }
}
