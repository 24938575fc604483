/// A connector's resilience settings (`rate_limit`, `circuit_breaker`, `retry`, and the delivery
/// timeout after which a record the brokers have not acknowledged counts as a failed call).
public struct ResilienceSpec: Sendable, Equatable {
    /// nil: not rate-limited.
    public var rateLimit: RateLimitSpec?
    /// Always present: every sink has a breaker (defaults when the file says nothing).
    public var circuitBreaker: CircuitBreakerSpec
    public var retry: RetryPolicy
    /// librdkafka `message.timeout.ms`: how long a record may wait for the brokers before its
    /// delivery fails (and is retried by the runtime).
    public var deliveryTimeoutMs: Int

    public init(
        rateLimit: RateLimitSpec? = nil,
        circuitBreaker: CircuitBreakerSpec = CircuitBreakerSpec(window: .count(200), failureRateThreshold: 0.5, minimumCalls: 20, openWaitSeconds: 5, halfOpenProbes: 5),
        retry: RetryPolicy = RetryPolicy(), deliveryTimeoutMs: Int = 30_000
    ) {
        self.rateLimit = rateLimit
        self.circuitBreaker = circuitBreaker
        self.retry = retry
        self.deliveryTimeoutMs = deliveryTimeoutMs
    }
}
