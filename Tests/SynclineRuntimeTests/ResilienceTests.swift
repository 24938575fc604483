import SynclineMapping
@testable import SynclineRuntime
import Testing

@Suite("Rate limiter and circuit breaker, with explicit clocks")
struct ResilienceTests {
    let second: UInt64 = 1_000_000_000

    @Test("token bucket: burst up front, then the rate; the wait until the next token is exact")
    func tokenBucket() {
        var bucket = TokenBucket(rate: 10, burst: 5, nowNanos: 0)
        var taken = 0
        for _ in 0..<5 where bucket.tryTake(nowNanos: 0) { taken += 1 }
        #expect(taken == 5)
        let sixth = bucket.tryTake(nowNanos: 0)
        #expect(!sixth)
        let wait = bucket.nanosUntilAvailable(nowNanos: 0)
        #expect(wait == second / 10)
        let afterWait = bucket.tryTake(nowNanos: second / 10)
        let again = bucket.tryTake(nowNanos: second / 10)
        #expect(afterWait && !again)
        // Never more than the burst, however long it waited.
        let available = bucket.available(nowNanos: 100 * second)
        #expect(available == 5)
    }

    @Test("rate limiter: over one simulated minute the connector delivers at its rate, and a hot key cannot starve the others")
    func keyedLimiter() {
        var limiter = RateLimiter(spec: RateLimitSpec(recordsPerSecond: 100, burst: 10, keyPath: "tenant", perKeyRecordsPerSecond: 20), nowNanos: 0)
        var allowed = 0
        var hot = 0
        var now: UInt64 = 0
        // Every millisecond a record arrives for the hot tenant and every 10 ms one for a quiet tenant.
        while now < 60 * second {
            if case .allowed = limiter.acquire(key: "hot", nowNanos: now) { allowed += 1; hot += 1 }
            if now % (10 * 1_000_000) == 0, case .allowed = limiter.acquire(key: "quiet-\(now % 7)", nowNanos: now) { allowed += 1 }
            now += 1_000_000
        }
        // The hot key is held to its own 20/s; the connector total stays within its 100/s.
        #expect(abs(Double(hot) / 60 - 20) < 1)
        #expect(Double(allowed) / 60 <= 100 + 10.0 / 60)
        #expect(allowed > hot)
        if case .throttled(_, let key) = limiter.acquire(key: "hot", nowNanos: now) { #expect(key == "hot") }
    }

    @Test("breaker opens on the failure rate over a count window, waits, lets probes through, closes when they succeed")
    func failureRateOpensAndProbesClose() {
        var breaker = CircuitBreaker(spec: CircuitBreakerSpec(window: .count(10), failureRateThreshold: 0.5, minimumCalls: 10, openWaitSeconds: 2, halfOpenProbes: 3))
        var transitions: [BreakerTransition] = []
        for index in 0..<10 {
            if let change = breaker.record(failed: index % 2 == 0, durationNanos: 1_000, nowNanos: UInt64(index)) { transitions.append(change) }
        }
        #expect(breaker.state == .open)
        #expect(transitions.map(\.to) == [.open])
        #expect(transitions.first?.reason.contains("failure rate 50%") == true)
        let whileOpen = breaker.allowCall(nowNanos: second)
        #expect(!whileOpen)
        let firstProbe = breaker.allowCall(nowNanos: 3 * second)
        #expect(firstProbe)
        #expect(breaker.state == .halfOpen)
        let second2 = breaker.allowCall(nowNanos: 3 * second)
        let third = breaker.allowCall(nowNanos: 3 * second)
        let fourth = breaker.allowCall(nowNanos: 3 * second)
        #expect(second2 && third)
        #expect(!fourth, "only three probes")
        for _ in 0..<3 { transitions += [breaker.record(failed: false, durationNanos: 1_000, nowNanos: 3 * second)].compactMap { $0 } }
        #expect(breaker.state == .closed)
        #expect(transitions.map(\.to) == [.open, .closed])
    }

    @Test("a failed probe re-opens the breaker")
    func failedProbeReopens() {
        var breaker = CircuitBreaker(spec: CircuitBreakerSpec(failuresInPeriod: 3, failurePeriodSeconds: 10, openWaitSeconds: 1, halfOpenProbes: 2))
        for index in 0..<3 { _ = breaker.record(failed: true, durationNanos: 0, nowNanos: UInt64(index) * second) }
        #expect(breaker.state == .open, "3 failures within 10 s")
        _ = breaker.tick(nowNanos: 5 * second)
        #expect(breaker.state == .halfOpen)
        let change = breaker.record(failed: true, durationNanos: 0, nowNanos: 5 * second)
        #expect(change?.to == .open)
        #expect(breaker.state == .open)
    }

    @Test("N failures spread wider than the period do not open it")
    func failuresOutsidePeriod() {
        var breaker = CircuitBreaker(spec: CircuitBreakerSpec(minimumCalls: 1_000, failuresInPeriod: 3, failurePeriodSeconds: 10))
        for index in 0..<10 { _ = breaker.record(failed: true, durationNanos: 0, nowNanos: UInt64(index) * 6 * second) }
        #expect(breaker.state == .closed)
    }

    @Test("slow-call rate over a time window opens it; fast calls keep it closed")
    func slowCalls() {
        var breaker = CircuitBreaker(spec: CircuitBreakerSpec(
            window: .time(seconds: 5), slowCallThresholdMs: 200, slowCallRateThreshold: 0.8, minimumCalls: 5))
        for index in 0..<20 { _ = breaker.record(failed: false, durationNanos: 50_000_000, nowNanos: UInt64(index) * second / 10) }
        #expect(breaker.state == .closed)
        var change: BreakerTransition?
        for index in 20..<100 where change == nil {
            change = breaker.record(failed: false, durationNanos: 500_000_000, nowNanos: UInt64(index) * second / 10)
        }
        #expect(breaker.state == .open)
        #expect(change?.reason.contains("slow-call rate") == true)
    }
}
