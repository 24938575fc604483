import SynclineMapping
import Testing

@Suite("Dead-letter records: built with full context, replayed with a counter that stops loops")
struct DeadLetterReplayTests {
    let input = InputRecord(
        topic: "raw.marketing.events.v1", partition: 3, offset: 42, key: Array("lead-7".utf8), value: Array(#"{"手机":"12"}"#.utf8),
        headers: [RecordHeader("traceparent", "00-abc-def-01"), RecordHeader("ce_id", "e-7")])

    func deadLetter(from record: InputRecord) -> InputRecord {
        let rejection = Rejection(stage: .map, code: "invalid_phone", field: "phone", message: "'12' is too short for a phone number", rule: "leads")
        let out = DeadLetter.record(
            for: record, rejection: rejection, connector: "marketing", mappingVersion: "v9", dlqTopic: "hub.dlq.marketing.v1",
            attempts: 1, firstFailedAtMs: 1_700_000_000_000)
        return InputRecord(topic: out.topic, partition: 0, offset: 5, key: out.key, value: out.value, headers: out.headers)
    }

    @Test("a DLQ record keeps the original key and bytes and names stage, code, field, route, version and coordinates")
    func deadLetterContext() {
        let dead = deadLetter(from: input)
        #expect(dead.topic == "hub.dlq.marketing.v1")
        #expect(dead.key == input.key && dead.value == input.value)
        let h = dead.headers
        #expect(h.last(named: HeaderNames.errorStage)?.text == "map")
        #expect(h.last(named: HeaderNames.errorCode)?.text == "invalid_phone")
        #expect(h.last(named: HeaderNames.errorField)?.text == "phone")
        #expect(h.last(named: HeaderNames.rule)?.text == "leads")
        #expect(h.last(named: HeaderNames.mappingVersion)?.text == "v9")
        #expect(h.last(named: HeaderNames.sourcePartition)?.text == "3")
        #expect(h.last(named: HeaderNames.sourceOffset)?.text == "42")
        #expect(h.last(named: HeaderNames.firstFailedAt)?.text == "2023-11-14T22:13:20.000Z")
        let message = h.last(named: HeaderNames.errorMessage)?.text ?? ""
        #expect(message.contains("connector marketing") && message.contains("route leads") && message.contains("field phone")
            && message.contains("raw.marketing.events.v1[3]@42"))
    }

    @Test("replay goes back to the source topic with the original bytes and upstream headers, the counter incremented, Syncline's headers dropped")
    func replayOnce() throws {
        guard case .republish(let record, let count) = DeadLetterReplay.prepare(deadLetter(from: input), maxReplays: 3) else {
            Issue.record("the first replay was refused")
            return
        }
        #expect(count == 1)
        #expect(record.topic == "raw.marketing.events.v1")
        #expect(record.key == input.key && record.value == input.value)
        #expect(record.headers.last(named: "traceparent")?.text == "00-abc-def-01")
        #expect(record.headers.last(named: HeaderNames.replayCount)?.text == "1")
        #expect(!record.headers.contains { $0.name.hasPrefix("syncline-") && $0.name != HeaderNames.replayCount })
    }

    @Test("a record that keeps failing is replayed at most maxReplays times, then refused with the reason")
    func replayLimit() {
        var record = input
        var replays = 0
        while true {
            let dead = deadLetter(from: record)
            switch DeadLetterReplay.prepare(dead, maxReplays: 2) {
            case .republish(let again, _):
                replays += 1
                record = InputRecord(topic: again.topic, partition: 3, offset: 100 + Int64(replays), key: again.key, value: again.value, headers: again.headers)
                continue
            case .refused(let reason):
                #expect(reason.contains("already replayed 2 time(s)"))
            }
            break
        }
        #expect(replays == 2)
    }

    @Test("a record without Syncline's source header is not a DLQ record and is refused")
    func notADeadLetter() {
        if case .refused(let reason) = DeadLetterReplay.prepare(input, maxReplays: 3) {
            #expect(reason.contains(HeaderNames.sourceTopic))
        } else {
            Issue.record("a plain record was accepted for replay")
        }
    }
}
