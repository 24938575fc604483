import SynclineMapping
import SynclineKafka
import SynclineRecords
@testable import SynclineRuntime
import Testing

@Suite("Delivery tracker: what a delivery report means for its output")
struct DeliveryTrackerTests {
    static let tooLarge = KafkaError(code: 10, name: "MSG_SIZE_TOO_LARGE", message: "too big")
    static let timedOut = KafkaError(code: -192, name: "MSG_TIMED_OUT", message: "timed out", isRetriable: true)
    static let retry = RetryPolicy(giveUpAfter: .seconds(300))

    static func item(_ kind: InFlightOutput.Kind, firstFailedAtMs: Int64? = nil, headers: [RecordHeader] = []) -> InFlightOutput {
        InFlightOutput(
            slot: 0, generation: 0, seq: 1,
            input: InputRecord(topic: "raw.x.y.v1", partition: 0, offset: 7, key: nil, value: Array("{}".utf8)),
            output: OutputRecord(topic: "crm.leads.v1", key: nil, value: Array("{}".utf8), headers: headers),
            kind: kind, primary: kind == .output, attempts: 1, firstFailedAtMs: firstFailedAtMs,
            timing: RecordTiming(sourceMs: nil, sourceProblem: nil, consumeMs: 0, eventID: nil))
    }

    static func outcome(_ item: InFlightOutput, _ error: KafkaError?, nowMs: Int64 = 1_000_000, healthy: Bool = true) -> DeliveryTracker.Outcome {
        DeliveryTracker.outcome(of: item, error: error, nowMs: nowMs, retry: retry, sinkHealthy: healthy)
    }

    @Test("a delivered output is acknowledged, whatever its kind")
    func delivered() {
        for kind in [InFlightOutput.Kind.output, .deadLetter, .latencyObservation, .alert, .timed(id: "t")] {
            #expect(Self.outcome(Self.item(kind), nil) == .acknowledged)
        }
    }

    @Test("an output refused for good sends its input to the DLQ as produce_rejected, naming the topic and error")
    func refusedOutput() {
        guard case .deadLetter(let rejection) = Self.outcome(Self.item(.output), Self.tooLarge) else {
            Issue.record("expected a DLQ outcome")
            return
        }
        #expect(rejection.code == ErrorCode.produceRejected.rawValue)
        #expect(rejection.stage == .produce)
        #expect(rejection.message.contains("crm.leads.v1") && rejection.message.contains("MSG_SIZE_TOO_LARGE"))
    }

    @Test("a DLQ entry refused for good is written without its value, once; then it retries like any failure")
    func refusedDeadLetter() {
        #expect(Self.outcome(Self.item(.deadLetter), Self.tooLarge) == .deadLetterWithoutValue)
        let dropped = Self.item(.deadLetter, headers: [RecordHeader(HeaderNames.valueDropped, "10 bytes")])
        #expect(Self.outcome(dropped, Self.tooLarge) == .retry)
    }

    @Test("the hub's own records refused for good are dropped (counted), never retried forever")
    func refusedHubRecords() {
        for kind in [InFlightOutput.Kind.latencyObservation, .alert, .timed(id: "t")] {
            #expect(Self.outcome(Self.item(kind), Self.tooLarge) == .drop)
        }
    }

    @Test("a transient failure retries; past give_up_after on a healthy sink it gives up; on a sick sink it keeps waiting")
    func transient() {
        #expect(Self.outcome(Self.item(.output), Self.timedOut) == .retry)
        let young = Self.item(.output, firstFailedAtMs: 1_000_000 - 299_999)
        #expect(Self.outcome(young, Self.timedOut) == .retry)
        let old = Self.item(.output, firstFailedAtMs: 1_000_000 - 300_000)
        #expect(Self.outcome(old, Self.timedOut) == .giveUp(failingForMs: 300_000))
        #expect(Self.outcome(old, Self.timedOut, healthy: false) == .retry, "an outage opens the breaker: nothing is given up")
    }

    @Test("the tracker hands a report its own output once; a stale or repeated token finds nothing")
    func tokens() {
        var tracker = DeliveryTracker()
        let first = Self.item(.output)
        let token = tracker.track(first)
        #expect(tracker.outstanding == 1 && !tracker.isSettled)
        let report = DeliveryReport(token: token, topic: "crm.leads.v1", partition: 0, offset: 1, error: nil)
        #expect(tracker.take(report) === first)
        #expect(tracker.take(report) == nil, "a second report for the same token is stale")
        let reused = tracker.track(Self.item(.output))
        #expect(reused != token, "a reused slot gets a new generation")
        #expect(tracker.take(report) == nil)
        tracker.abandonInFlight()
        #expect(tracker.isSettled)
    }
}
