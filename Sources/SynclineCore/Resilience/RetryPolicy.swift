/// Exponential back-off with full jitter, bounded: attempt n waits a random time in
/// [0, min(maxDelay, initialDelay × multiplier^(n−1))], so retries from many records spread out.
public struct RetryPolicy: Sendable, Equatable {
    public var initialDelay: Duration
    public var maxDelay: Duration
    public var multiplier: Double

    public init(initialDelay: Duration = .milliseconds(100), maxDelay: Duration = .seconds(10), multiplier: Double = 2) {
        self.initialDelay = initialDelay
        self.maxDelay = maxDelay
        self.multiplier = multiplier
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
