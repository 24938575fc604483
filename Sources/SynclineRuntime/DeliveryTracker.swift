import SynclineMapping
import SynclineKafka

/// The outputs between the producer and their delivery reports: the in-flight slab, the retry
/// queue, and reports kept while a send waited for room. It decides what a report means for its
/// output (`outcome`) and leaves the acting to the loop, so the rules are tested with plain values.
struct DeliveryTracker {
    private(set) var inFlight = InFlightTable()
    /// Outputs waiting to be sent again (back-off, open breaker, no producer).
    var retryQueue: [InFlightOutput] = []
    /// Delivery reports taken while waiting for room in the producer queue, handled by the loop
    /// (never recursively from inside a send).
    var deferredReports: [DeliveryReport] = []

    /// Outputs not yet acknowledged: in flight or waiting to be sent again.
    var outstanding: Int { inFlight.count + retryQueue.count }
    /// Nothing in flight, nothing to retry, no report left to handle.
    var isSettled: Bool { inFlight.isEmpty && retryQueue.isEmpty && deferredReports.isEmpty }

    /// Starts tracking an output handed to the producer; returns the token its report will carry.
    mutating func track(_ item: InFlightOutput) -> UInt64 { inFlight.insert(item) }

    /// The output a report is about (nil: stale, e.g. after a producer was abandoned).
    mutating func take(_ report: DeliveryReport) -> InFlightOutput? { inFlight.remove(token: report.token) }

    /// Everything in flight, taken out (to send again through a new producer).
    mutating func takeAllInFlight() -> [InFlightOutput] { inFlight.drain() }

    /// Forgets everything in flight (a crash abandons them; their inputs stay uncommitted).
    mutating func abandonInFlight() { inFlight.removeAll() }

    /// What a delivery report means for its output.
    enum Outcome: Equatable {
        /// Delivered: count it, time it, move the partition on.
        case acknowledged
        /// A canonical output the brokers refused for good: its input goes to the DLQ with this rejection.
        case deadLetter(Rejection)
        /// The DLQ refused the rejected record's bytes for good: write the entry without the value.
        case deadLetterWithoutValue
        /// A hub-made record (latency observation, timed output, alert) refused for good: count and drop.
        case drop
        /// It kept failing while the sink stayed healthy past `retry.give_up_after_ms`.
        case giveUp(failingForMs: Int64)
        /// Transient: send again after the retry policy's back-off.
        case retry
    }

    /// The rules: delivered is acknowledged; refused for good goes to the DLQ (or is dropped, for
    /// the hub's own records); anything else retries until the policy gives up on a healthy sink.
    static func outcome(
        of item: InFlightOutput, error: KafkaError?, nowMs: Int64, retry: RetryPolicy, sinkHealthy: Bool
    ) -> Outcome {
        guard let error else { return .acknowledged }
        if error.isPermanentForRecord {
            switch item.kind {
            case .output:
                return .deadLetter(Rejection(
                    stage: .produce, code: ErrorCode.produceRejected.rawValue, field: nil,
                    message: "the brokers refused the output for \(item.output.topic): \(error.name) \(error.message)"))
            case .deadLetter where item.output.headers.last(named: HeaderNames.valueDropped) == nil:
                return .deadLetterWithoutValue
            case .latencyObservation, .timed, .alert:
                // No DLQ for the hub's own records: retrying cannot help and would hold the partition
                // (and then the connector) forever.
                return .drop
            case .deadLetter:
                break
            }
        }
        if let firstFailed = item.firstFailedAtMs, retry.givesUp(firstFailedAtMs: firstFailed, nowMs: nowMs, sinkHealthy: sinkHealthy) {
            return .giveUp(failingForMs: nowMs - firstFailed)
        }
        return .retry
    }
}
