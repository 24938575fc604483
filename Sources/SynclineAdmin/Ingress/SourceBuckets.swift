import SynclineMapping

/// One token bucket per sending address, taken before a request's signature is checked so that
/// unsigned floods from one address are refused without touching the connector's own bucket.
/// Bounded: when more than `maxSources` addresses are tracked, the idlest half is forgotten
/// (a forgotten address starts again with a full bucket, which only ever favours the sender).
struct SourceBuckets: Sendable {
    let rate: Double
    let burst: Double
    let maxSources: Int
    private var buckets: [String: (bucket: TokenBucket, lastUsed: UInt64)] = [:]

    init(rate: Double, burst: Double, maxSources: Int = 10_000) {
        self.rate = rate
        self.burst = burst
        self.maxSources = max(2, maxSources)
    }

    /// Nil when the address may send now; else the nanoseconds until it may.
    mutating func take(source: String, nowNanos: UInt64) -> UInt64? {
        var entry = buckets[source] ?? (TokenBucket(rate: rate, burst: burst, nowNanos: nowNanos), nowNanos)
        entry.lastUsed = nowNanos
        defer {
            buckets[source] = entry
            if buckets.count > maxSources { forgetIdle() }
        }
        if entry.bucket.tryTake(nowNanos: nowNanos) { return nil }
        return entry.bucket.nanosUntilAvailable(nowNanos: nowNanos)
    }

    var trackedSources: Int { buckets.count }

    private mutating func forgetIdle() {
        let kept = buckets.sorted { $0.value.lastUsed > $1.value.lastUsed }.prefix(maxSources / 2)
        buckets = Dictionary(uniqueKeysWithValues: kept.map { ($0.key, $0.value) })
    }
}
