public import SynclineMapping

/// A circuit breaker around one sink: closed → open when the failure rate or slow-call rate over a
/// sliding window (count- or time-based) passes its threshold, or N failures happen within a period;
/// open → half-open after a wait; half-open lets a bounded number of probe calls through and closes
/// when they all succeed, or re-opens on the first failure. Pure: the caller passes the clock (ns).
public struct CircuitBreaker: Sendable {
    struct Call: Sendable {
        var atNanos: UInt64
        var failed: Bool
        var slow: Bool
    }

    public let spec: CircuitBreakerSpec
    public private(set) var state: BreakerState = .closed
    /// The window's calls from `head` on, with running counts (record() is on the hot path).
    private var calls: [Call] = []
    private var head = 0
    private var failedInWindow = 0
    private var slowInWindow = 0
    private var failures: [UInt64] = []
    private var openedAtNanos: UInt64 = 0
    private var probesStarted = 0
    private var probesSucceeded = 0

    public init(spec: CircuitBreakerSpec) {
        self.spec = spec
    }

    /// Moves open → half-open when the wait is over; returns the transition if there was one.
    public mutating func tick(nowNanos: UInt64) -> BreakerTransition? {
        guard state == .open, nowNanos >= openedAtNanos + UInt64(spec.openWaitSeconds * 1e9) else { return nil }
        state = .halfOpen
        probesStarted = 0
        probesSucceeded = 0
        return BreakerTransition(from: .open, to: .halfOpen, reason: "open for \(spec.openWaitSeconds) s; letting \(spec.halfOpenProbes) probe(s) through")
    }

    /// Whether a call may start now. Half-open, each allowed call uses one of the probe permits.
    public mutating func allowCall(nowNanos: UInt64) -> Bool {
        _ = tick(nowNanos: nowNanos)
        switch state {
        case .closed: return true
        case .open: return false
        case .halfOpen:
            guard probesStarted < spec.halfOpenProbes else { return false }
            probesStarted += 1
            return true
        }
    }

    /// Calls still allowed in this state (nil: unbounded, i.e. closed).
    public var remainingPermits: Int? {
        switch state {
        case .closed: return nil
        case .open: return 0
        case .halfOpen: return max(0, spec.halfOpenProbes - probesStarted)
        }
    }

    /// Records a finished call; returns the transition it caused, if any.
    public mutating func record(failed: Bool, durationNanos: UInt64, nowNanos: UInt64) -> BreakerTransition? {
        let slow = spec.slowCallThresholdMs.map { Double(durationNanos) / 1e6 > $0 } ?? false
        switch state {
        case .open:
            return nil  // late answers of calls started before opening
        case .halfOpen:
            if failed || slow {
                return open(nowNanos, reason: failed ? "a probe failed" : "a probe was slow (\(Int(Double(durationNanos) / 1e6)) ms)", from: .halfOpen)
            }
            probesSucceeded += 1
            if probesSucceeded >= spec.halfOpenProbes {
                state = .closed
                resetWindow()
                failures.removeAll()
                return BreakerTransition(from: .halfOpen, to: .closed, reason: "\(probesSucceeded) probe(s) succeeded")
            }
            return nil
        case .closed:
            calls.append(Call(atNanos: nowNanos, failed: failed, slow: slow))
            if failed { failedInWindow += 1 }
            if slow { slowInWindow += 1 }
            trimWindow(nowNanos)
            if failed, let limit = spec.failuresInPeriod {
                failures.append(nowNanos)
                let periodStart = Self.subtracting(UInt64(spec.failurePeriodSeconds * 1e9), from: nowNanos)
                failures.removeAll { $0 < periodStart }
                if failures.count >= limit {
                    return open(nowNanos, reason: "\(failures.count) failures within \(spec.failurePeriodSeconds) s", from: .closed)
                }
            }
            let count = calls.count - head
            guard count >= spec.minimumCalls else { return nil }
            let failedShare = Double(failedInWindow) / Double(count)
            if failedShare >= spec.failureRateThreshold {
                return open(nowNanos, reason: "failure rate \(Self.percent(failedShare)) over \(count) calls ≥ \(Self.percent(spec.failureRateThreshold))", from: .closed)
            }
            if spec.slowCallThresholdMs != nil {
                let slowShare = Double(slowInWindow) / Double(count)
                if slowShare >= spec.slowCallRateThreshold {
                    return open(nowNanos, reason: "slow-call rate \(Self.percent(slowShare)) (> \(Int(spec.slowCallThresholdMs ?? 0)) ms) over \(count) calls ≥ \(Self.percent(spec.slowCallRateThreshold))", from: .closed)
                }
            }
            return nil
        }
    }

    private mutating func open(_ nowNanos: UInt64, reason: String, from: BreakerState) -> BreakerTransition {
        state = .open
        openedAtNanos = nowNanos
        resetWindow()
        failures.removeAll()
        return BreakerTransition(from: from, to: .open, reason: reason)
    }

    private mutating func resetWindow() {
        calls.removeAll(keepingCapacity: true)
        head = 0
        failedInWindow = 0
        slowInWindow = 0
    }

    private mutating func dropOldest() {
        let call = calls[head]
        if call.failed { failedInWindow -= 1 }
        if call.slow { slowInWindow -= 1 }
        head += 1
    }

    private mutating func trimWindow(_ nowNanos: UInt64) {
        switch spec.window {
        case .count(let size):
            while calls.count - head > size { dropOldest() }
        case .time(let seconds):
            let start = Self.subtracting(UInt64(seconds * 1e9), from: nowNanos)
            while head < calls.count, calls[head].atNanos < start { dropOldest() }
        }
        if head > 1024, head * 2 > calls.count {
            calls.removeFirst(head)
            head = 0
        }
    }

    /// `now − span`, floored at zero (clocks near their origin).
    static func subtracting(_ span: UInt64, from now: UInt64) -> UInt64 { now > span ? now - span : 0 }

    static func percent(_ value: Double) -> String { "\(Int((value * 100).rounded()))%" }
}
