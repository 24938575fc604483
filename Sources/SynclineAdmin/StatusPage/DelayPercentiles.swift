/// End-to-end delay percentiles of one connector over a recent window (`GET /api/v1/latency/percentiles`),
/// computed from the exact delays of the window's records rather than estimated from histogram buckets.
public struct DelayPercentiles: Codable, Sendable, Equatable {
    public var connector: String
    /// Records observed in the window.
    public var count: Int
    /// Median and 99th-percentile delay (source time → acknowledged), in seconds; nil without records.
    public var p50Seconds: Double?
    public var p99Seconds: Double?
    public var maxSeconds: Double?
    /// The window the figures cover, in seconds.
    public var windowSeconds: Int

    public init(connector: String, count: Int, p50Seconds: Double?, p99Seconds: Double?, maxSeconds: Double?, windowSeconds: Int) {
        self.connector = connector
        self.count = count
        self.p50Seconds = p50Seconds
        self.p99Seconds = p99Seconds
        self.maxSeconds = maxSeconds
        self.windowSeconds = windowSeconds
    }

    enum CodingKeys: String, CodingKey {
        case connector, count
        case p50Seconds = "p50_seconds"
        case p99Seconds = "p99_seconds"
        case maxSeconds = "max_seconds"
        case windowSeconds = "window_seconds"
    }
}
