import SynclineMapping
import Testing

@Suite("Retry back-off and give-up, with explicit clocks")
struct RetryPolicyTests {
    @Test("retry back-off grows exponentially, is capped, and jitter stays under the ceiling")
    func backoff() {
        let policy = RetryPolicy(initialDelay: .milliseconds(100), maxDelay: .seconds(2), multiplier: 2)
        #expect(policy.ceiling(attempt: 1) == .milliseconds(100))
        #expect(policy.ceiling(attempt: 3) == .milliseconds(400))
        #expect(policy.ceiling(attempt: 10) == .seconds(2))
        #expect(policy.delay(attempt: 3, random: 0.5) == .milliseconds(200))
        #expect(policy.delay(attempt: 3, random: 0.999) < .milliseconds(400))
    }

    @Test("give-up: only after give_up_after of failing, and only while the sink's breaker is closed (an outage waits)")
    func giveUp() throws {
        let policy = RetryPolicy(giveUpAfter: .seconds(300))
        #expect(!policy.givesUp(firstFailedAtMs: 1_000, nowMs: 300_999, sinkHealthy: true))
        #expect(policy.givesUp(firstFailedAtMs: 1_000, nowMs: 301_000, sinkHealthy: true))
        #expect(!policy.givesUp(firstFailedAtMs: 1_000, nowMs: 3_600_000, sinkHealthy: false))
        #expect(RetryPolicy().giveUpAfter == .seconds(300))
        let spec = try TestSupport.spec(TestSupport.marketing + "\nretry: {initial_ms: 50, give_up_after_ms: 60000}\n")
        #expect(spec.resilience.retry.giveUpAfter == .seconds(60))
        #expect(spec.resilience.retry.initialDelay == .milliseconds(50))
    }
}
