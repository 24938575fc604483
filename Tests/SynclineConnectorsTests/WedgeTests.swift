import Foundation
import SynclineMapping
import SynclineKafka
import SynclineRuntime
import Testing

/// Issue 14 item 5: no record holds its partition forever, and a fatal producer error does not
/// stop the connector. Part of the serialized fault-injection suite (its clusters are 3 brokers).
extension FaultInjectionTests {
    @Test("wedge: one output partition's leader gone for good while the rest deliver — its records go to the DLQ as retries_exhausted after give_up_after, everything else is delivered, every offset committed")
    func wedgedPartitionGivesUp() async throws {
        let output = "crm.fault.v1"
        let (cluster, config) = try await cluster(output: output, group: "g-wedge")
        // Partition 3 of the output is led by broker 3, which goes down for the whole run.
        cluster.setPartitionLeader(topic: output, partition: 3, broker: 3)
        cluster.setBrokerDown(3)
        let count = 2_000
        try await TestKafka.publish(TestKafka.keyedRecords(topic: "raw.test.fault.v1", count: count, keys: 40), config: config)
        // A breaker that never opens here (once the other records are delivered only the wedged
        // ones are attempted, and a failure-rate breaker would call that an outage and wait).
        let breaker = CircuitBreakerSpec(window: .count(200), failureRateThreshold: 1, minimumCalls: 1_000_000, openWaitSeconds: 1, halfOpenProbes: 3)
        let spec = connector(output: output, resilience: ResilienceSpec(
            circuitBreaker: breaker,
            retry: RetryPolicy(initialDelay: .milliseconds(50), maxDelay: .milliseconds(500), giveUpAfter: .seconds(4)),
            deliveryTimeoutMs: 1_500))
        let log = ActivityLog()
        let runtime = try runtime(spec, config: config, group: "g-wedge", exitAfter: count, log: log)
        let summary = try await TestKafka.runBounded(runtime, until: "every input handled, the wedged ones given up")
        let delivered = try await TestKafka.readAll(output, partitions: 3, config: config)
        let dead = try await TestKafka.readAll("hub.dlq.fault.v1", partitions: 1, config: config)
        #expect(!dead.isEmpty && !delivered.isEmpty, "\(dead.count) given up, \(delivered.count) delivered")
        #expect(TestKafka.missing(delivered + dead, expected: count).isEmpty, "every input is in the output or the DLQ")
        for record in dead {
            #expect(record.headers.last(named: HeaderNames.errorCode)?.text == "retries_exhausted")
            #expect(record.headers.last(named: HeaderNames.errorStage)?.text == "produce")
            #expect(record.headers.last(named: HeaderNames.errorMessage)?.text?.contains(output) == true)
        }
        #expect(summary.dlq == dead.count)
        let (committed, ends) = try await TestKafka.committedAndEnds(group: "g-wedge", topic: "raw.test.fault.v1", partitions: 4, config: config)
        #expect(committed == ends, "the wedged records no longer hold their partitions")
        print("wedge: \(count) inputs → \(delivered.count) delivered, \(dead.count) given up as retries_exhausted after 4 s; \(summary.retries) retries")
    }

    @Test("fatal producer error mid-run (librdkafka's fabricated fence): the producer is recreated, counted, and every record delivered")
    func fatalProducerErrorRecreates() async throws {
        let output = "crm.fault.v1"
        let (cluster, config) = try await cluster(output: output, group: "g-fatal")
        defer { withExtendedLifetime(cluster) {} }  // the mock brokers live as long as the cluster object
        let count = 6_000
        try await TestKafka.publish(TestKafka.keyedRecords(topic: "raw.test.fault.v1", count: count, keys: 60), config: config)
        // Rate-limited so the fatal error lands mid-run.
        let spec = connector(output: output, resilience: ResilienceSpec(rateLimit: RateLimitSpec(recordsPerSecond: 1_500, burst: 100)))
        let log = ActivityLog()
        let runtime = try runtime(spec, config: config, group: "g-fatal", exitAfter: count, log: log)
        let summary = try await TestKafka.runBounded(runtime, until: "every input handled after the producer was recreated") {
            try await TestKafka.when("some records delivered", { runtime.stats.snapshot.produced >= 1_000 }) {
                runtime.raiseProducerFatalErrorForTesting()
            }
        }
        let delivered = try await TestKafka.readAll(output, partitions: 4, config: config)
        #expect(TestKafka.missing(delivered, expected: count).isEmpty)
        #expect(summary.dlq == 0)
        #expect(log.producerRestarts == 1)
        print("fatal producer error: \(count) inputs → \(delivered.count) outputs (\(delivered.count - count) duplicates), \(log.producerRestarts) producer restart")
    }
}
