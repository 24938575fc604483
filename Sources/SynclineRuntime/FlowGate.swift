import SynclineMapping

/// Decides, for one connector, what may flow: the sink's circuit breaker, the rate limiter (per
/// connector and per key) and back-pressure. Confined to the runtime thread; pure apart from the
/// clock it is given. The runtime turns its answers into paused partitions, never into buffers.
struct FlowGate {
    /// Why the whole connector is paused right now (nil: it is not).
    enum Hold: String {
        case operatorRequest = "operator request"
        case backPressure = "too many records awaiting acknowledgement"
        case breakerOpen = "circuit breaker open"
        case breakerProbing = "circuit breaker half-open, probes in flight"
        case rateLimit = "connector rate limit reached"
    }

    enum Admission {
        case go
        /// Park the record; `key` is the throttled rate-limit key (nil: the connector's own bucket).
        case park(key: String?)
    }

    var breaker: CircuitBreaker
    private var limiter: RateLimiter?
    private let keyPath: SourcePath?
    private let keyFromRecordKey: Bool
    private var connectorBlockedUntil: UInt64 = 0
    private(set) var blockedPartitions: [PartitionKey: UInt64] = [:]
    private var overloaded = false

    init(spec: ResilienceSpec, nowNanos: UInt64) {
        breaker = CircuitBreaker(spec: spec.circuitBreaker)
        limiter = spec.rateLimit.map { RateLimiter(spec: $0, nowNanos: nowNanos) }
        keyFromRecordKey = spec.rateLimit?.keyPath == "$key"
        keyPath = keyFromRecordKey ? nil : spec.rateLimit?.keyPath.flatMap { try? SourcePath.parse($0) }
    }

    /// Whether records of this partition must wait (its key bucket or the connector bucket is empty).
    func isBlocked(_ partition: PartitionKey, nowNanos: UInt64) -> Bool {
        if connectorBlockedUntil > nowNanos { return true }
        if !blockedPartitions.isEmpty, let until = blockedPartitions[partition], until > nowNanos { return true }
        return false
    }

    /// Takes a rate-limit token for a processed record, or says to park it (blocking its partition,
    /// or the whole connector, until the bucket refills).
    mutating func admit(_ record: InputRecord, document: JSONValue?, nowNanos: UInt64) -> Admission {
        guard limiter != nil else { return .go }
        let key: String?
        if keyFromRecordKey {
            key = record.key.map { String(decoding: $0, as: UTF8.self) }
        } else if let keyPath, let document {
            key = keyPath.lookup(in: document).flatMap(FieldConversion.scalarText)
        } else {
            key = nil
        }
        switch limiter?.acquire(key: key, nowNanos: nowNanos) ?? .allowed {
        case .allowed:
            return .go
        case .throttled(let wait, nil):
            connectorBlockedUntil = nowNanos + wait
            return .park(key: nil)
        case .throttled(let wait, let throttledKey):
            blockedPartitions[PartitionKey(topic: record.topic, partition: record.partition)] = nowNanos + wait
            return .park(key: throttledKey)
        }
    }

    /// How many records to take from the consumer now under the connector's rate limit (nil: no
    /// limit), and when the bucket is empty how long until it has a token — so the runtime polls
    /// only what it may process instead of parking records.
    mutating func connectorAllowance(nowNanos: UInt64) -> (records: Int, waitNanos: UInt64)? {
        guard limiter != nil else { return nil }
        let tokens = limiter?.connectorTokens(nowNanos: nowNanos) ?? 0
        if tokens > 0 { return (tokens, 0) }
        return (0, limiter?.nanosUntilConnectorToken(nowNanos: nowNanos) ?? 0)
    }

    /// Forgets blocks whose time is up.
    mutating func releaseExpired(nowNanos: UInt64) {
        if !blockedPartitions.isEmpty {
            blockedPartitions = blockedPartitions.filter { $0.value > nowNanos }
        }
    }

    mutating func forget(_ partition: PartitionKey) {
        blockedPartitions[partition] = nil
    }

    /// Why everything should be paused now, if it should (back-pressure has hysteresis: it resumes at half).
    mutating func hold(operatorPaused: Bool, outstanding: Int, maxInFlight: Int, nowNanos: UInt64) -> Hold? {
        overloaded = overloaded ? outstanding > maxInFlight / 2 : outstanding >= maxInFlight
        if operatorPaused { return .operatorRequest }
        if overloaded { return .backPressure }
        switch breaker.state {
        case .open: return .breakerOpen
        case .halfOpen where breaker.remainingPermits == 0: return .breakerProbing
        default: break
        }
        if connectorBlockedUntil > nowNanos { return .rateLimit }
        return nil
    }
}
