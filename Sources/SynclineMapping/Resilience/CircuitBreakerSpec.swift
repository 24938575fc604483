/// A sink's circuit breaker (`circuit_breaker:` in the connector YAML): when to open, how long to
/// stay open, and how many probe records to let through half-open.
public struct CircuitBreakerSpec: Sendable, Equatable {
    public enum Window: Sendable, Equatable {
        /// The last N calls.
        case count(Int)
        /// Calls within the last N seconds.
        case time(seconds: Double)
    }

    public var window: Window
    /// Open when the share of failed calls in the window reaches this (0…1).
    public var failureRateThreshold: Double
    /// A call slower than this counts as slow (nil: slowness is not judged).
    public var slowCallThresholdMs: Double?
    /// Open when the share of slow calls in the window reaches this (0…1).
    public var slowCallRateThreshold: Double
    /// No rate is judged before the window holds this many calls.
    public var minimumCalls: Int
    /// Also open after this many failures within `failurePeriodSeconds` (nil: off).
    public var failuresInPeriod: Int?
    public var failurePeriodSeconds: Double
    /// How long to stay open before letting probes through.
    public var openWaitSeconds: Double
    /// Probe calls allowed half-open; all must succeed (and not be slow) to close.
    public var halfOpenProbes: Int

    public init(
        window: Window = .count(100), failureRateThreshold: Double = 0.5, slowCallThresholdMs: Double? = nil,
        slowCallRateThreshold: Double = 1.0, minimumCalls: Int = 10, failuresInPeriod: Int? = nil,
        failurePeriodSeconds: Double = 10, openWaitSeconds: Double = 5, halfOpenProbes: Int = 5
    ) {
        self.window = window
        self.failureRateThreshold = failureRateThreshold
        self.slowCallThresholdMs = slowCallThresholdMs
        self.slowCallRateThreshold = slowCallRateThreshold
        self.minimumCalls = minimumCalls
        self.failuresInPeriod = failuresInPeriod
        self.failurePeriodSeconds = failurePeriodSeconds
        self.openWaitSeconds = openWaitSeconds
        self.halfOpenProbes = halfOpenProbes
    }
}
