/// A connector's rate limit (`rate_limit:` in its YAML): records per second and burst, optionally
/// per key (a field of the input, e.g. a tenant or corp id), each key with its own bucket.
public struct RateLimitSpec: Sendable, Equatable {
    public var recordsPerSecond: Double
    public var burst: Double
    /// Dotted path in the decoded input whose value keys a bucket; `$key` uses the Kafka record key.
    public var keyPath: String?
    /// Per-key rate (defaults to the connector rate).
    public var perKeyRecordsPerSecond: Double?
    /// Keys tracked at most (least recently used are forgotten).
    public var maxKeys: Int

    public init(recordsPerSecond: Double, burst: Double? = nil, keyPath: String? = nil, perKeyRecordsPerSecond: Double? = nil, maxKeys: Int = 10_000) {
        self.recordsPerSecond = recordsPerSecond
        self.burst = burst ?? max(1, recordsPerSecond)
        self.keyPath = keyPath
        self.perKeyRecordsPerSecond = perKeyRecordsPerSecond
        self.maxKeys = maxKeys
    }
}
