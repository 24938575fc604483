public import SynclineMapping

/// The connector's rate limit: one bucket for the connector, and when keyed one bucket per key
/// (bounded: idle keys are forgotten). Answers whether a record may go now, or how long to wait.
public struct RateLimiter: Sendable {
    public enum Decision: Sendable, Equatable {
        case allowed
        /// Wait this long; `key` is nil when the connector's own bucket is empty.
        case throttled(waitNanos: UInt64, key: String?)
    }

    public let spec: RateLimitSpec
    private var connector: TokenBucket
    private var keys: [String: (bucket: TokenBucket, lastUsed: UInt64)] = [:]

    public init(spec: RateLimitSpec, nowNanos: UInt64) {
        self.spec = spec
        connector = TokenBucket(rate: spec.recordsPerSecond, burst: spec.burst, nowNanos: nowNanos)
    }

    /// Takes a token for one record with this key (nil: not keyed) or says how long to wait.
    /// A throttled record takes nothing from any bucket.
    public mutating func acquire(key: String?, nowNanos: UInt64) -> Decision {
        let connectorWait = connector.nanosUntilAvailable(nowNanos: nowNanos)
        if connectorWait > 0 { return .throttled(waitNanos: connectorWait, key: nil) }
        if let key, spec.keyPath != nil {
            var entry = keys[key] ?? (TokenBucket(rate: spec.perKeyRecordsPerSecond ?? spec.recordsPerSecond, burst: spec.burst, nowNanos: nowNanos), nowNanos)
            let keyWait = entry.bucket.nanosUntilAvailable(nowNanos: nowNanos)
            entry.lastUsed = nowNanos
            if keyWait > 0 {
                keys[key] = entry
                return .throttled(waitNanos: keyWait, key: key)
            }
            _ = entry.bucket.tryTake(nowNanos: nowNanos)
            keys[key] = entry
            if keys.count > spec.maxKeys { forgetIdleKeys() }
        }
        _ = connector.tryTake(nowNanos: nowNanos)
        return .allowed
    }

    /// Whole tokens in the connector's own bucket now.
    public mutating func connectorTokens(nowNanos: UInt64) -> Int {
        connector.available(nowNanos: nowNanos)
    }

    /// How long until the connector's bucket has a token.
    public mutating func nanosUntilConnectorToken(nowNanos: UInt64) -> UInt64 {
        connector.nanosUntilAvailable(nowNanos: nowNanos)
    }

    /// Keys currently tracked.
    public var trackedKeys: Int { keys.count }

    private mutating func forgetIdleKeys() {
        let keep = spec.maxKeys / 2
        let sorted = keys.sorted { $0.value.lastUsed > $1.value.lastUsed }
        keys = Dictionary(uniqueKeysWithValues: sorted.prefix(keep).map { ($0.key, $0.value) })
    }
}
