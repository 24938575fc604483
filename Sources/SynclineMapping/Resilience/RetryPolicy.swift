/// Exponential back-off with full jitter, bounded: attempt n waits a random time in
/// [0, min(maxDelay, initialDelay × multiplier^(n−1))], so retries from many records spread out.
public struct RetryPolicy: Sendable, Equatable {
    public var initialDelay: Duration
    public var maxDelay: Duration
    public var multiplier: Double
    /// How long one output may keep failing while its sink's circuit breaker stays closed before
    /// the runtime gives up on it (an output goes to the DLQ as `retries_exhausted`; a DLQ or hub
    /// record is dropped and counted), so one record cannot hold its partition forever. A closed
    /// breaker means the sink as a whole is judged healthy, so this record is the one stuck; in an
    /// outage the breaker opens, records wait without attempts, and nothing is given up.
    public var giveUpAfter: Duration

    public init(
        initialDelay: Duration = .milliseconds(100), maxDelay: Duration = .seconds(10), multiplier: Double = 2,
        giveUpAfter: Duration = .seconds(300)
    ) {
        self.initialDelay = initialDelay
        self.maxDelay = maxDelay
        self.multiplier = multiplier
        self.giveUpAfter = giveUpAfter
    }

    /// Whether an output failing since `firstFailedAtMs` is given up at `nowMs`: it has failed for
    /// `giveUpAfter` and the sink's breaker is closed (`sinkHealthy`) after counting this failure.
    public func givesUp(firstFailedAtMs: Int64, nowMs: Int64, sinkHealthy: Bool) -> Bool {
        sinkHealthy && Duration.milliseconds(nowMs - firstFailedAtMs) >= giveUpAfter
    }

    /// The ceiling for attempt `attempt` (1-based), before jitter.
    public func ceiling(attempt: Int) -> Duration {
        let factor = Double.pow(multiplier, Double(max(0, attempt - 1)))
        let millis = min(Double(maxDelay / .milliseconds(1)), Double(initialDelay / .milliseconds(1)) * factor)
        return .milliseconds(Int64(millis))
    }

    /// A jittered delay for attempt `attempt` (1-based); `random` in [0, 1) is injectable for tests.
    public func delay(attempt: Int, random: Double = Double.random(in: 0..<1)) -> Duration {
        let ceilingMs = Double(ceiling(attempt: attempt) / .milliseconds(1))
        return .milliseconds(Int64(ceilingMs * random))
    }
}

extension Double {
    fileprivate static func pow(_ base: Double, _ exponent: Double) -> Double {
        var result = 1.0
        var remaining = Int(exponent)
        while remaining > 0 {
            result *= base
            remaining -= 1
        }
        return result
    }
}
