/// A token bucket: `rate` tokens a second up to `burst`. Pure — the caller passes the clock (ns).
public struct TokenBucket: Sendable, Equatable {
    public let rate: Double
    public let burst: Double
    public private(set) var tokens: Double
    private var lastNanos: UInt64

    public init(rate: Double, burst: Double, nowNanos: UInt64) {
        self.rate = max(rate, 0.000_001)
        self.burst = max(burst, 1)
        self.tokens = max(burst, 1)
        self.lastNanos = nowNanos
    }

    private mutating func refill(_ nowNanos: UInt64) {
        guard nowNanos > lastNanos else { return }
        tokens = min(burst, tokens + Double(nowNanos - lastNanos) / 1e9 * rate)
        lastNanos = nowNanos
    }

    /// Takes `count` tokens if they are there.
    public mutating func tryTake(_ count: Double = 1, nowNanos: UInt64) -> Bool {
        refill(nowNanos)
        guard tokens >= count else { return false }
        tokens -= count
        return true
    }

    /// How long until `count` tokens are there (0 when they already are).
    public mutating func nanosUntilAvailable(_ count: Double = 1, nowNanos: UInt64) -> UInt64 {
        refill(nowNanos)
        guard tokens < count else { return 0 }
        return UInt64(((count - tokens) / rate * 1e9).rounded(.up))
    }

    /// Whole tokens available now.
    public mutating func available(nowNanos: UInt64) -> Int {
        refill(nowNanos)
        return Int(tokens)
    }
}
