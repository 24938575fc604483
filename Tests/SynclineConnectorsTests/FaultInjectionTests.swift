import Foundation
import Synchronization
import SynclineConnectors
import SynclineMapping
import SynclineKafka
import SynclineRuntime
import Testing

/// Collects breaker transitions and throttle counts from a runtime's activity.
final class ActivityLog: ConnectorObserver, @unchecked Sendable {
    private let lock = NSLock()
    private var transitions: [BreakerTransition] = []
    private var throttled = 0
    private var acknowledgedAt: [Int64] = []
    private var restarts = 0

    func record(_ activity: ConnectorActivity) {
        lock.withLock {
            restarts += activity.producerRestarts
            transitions += activity.breakerTransitions
            throttled += activity.throttled.values.reduce(0, +)
            let produced = activity.produced.values.reduce(0, +)
            if produced > 0 { acknowledgedAt += Array(repeating: activity.atMs, count: produced) }
        }
    }

    var breakerTransitions: [BreakerTransition] { lock.withLock { transitions } }
    var throttleCount: Int { lock.withLock { throttled } }
    var producerRestarts: Int { lock.withLock { restarts } }
}

@Suite("Resilience under the embedded cluster's fault injection", .serialized)
struct FaultInjectionTests {
    /// A 3-broker cluster: input, DLQ and the group coordinator on broker 1, the output's leaders on broker 2.
    func cluster(output: String, group: String) async throws -> (EmbeddedKafkaCluster, KafkaConfig) {
        let cluster = try await EmbeddedKafkaCluster.start(brokers: 3)
        try await cluster.createTopic("raw.test.fault.v1", partitions: 4)
        try await cluster.createTopic(output, partitions: 4)
        try await cluster.createTopic("hub.dlq.fault.v1", partitions: 1)
        try await cluster.createTopic(TopicNames.latency, partitions: 1)
        for partition in Int32(0)..<4 {
            cluster.setPartitionLeader(topic: "raw.test.fault.v1", partition: partition, broker: 1)
            cluster.setPartitionLeader(topic: output, partition: partition, broker: 2)
        }
        cluster.setPartitionLeader(topic: "hub.dlq.fault.v1", partition: 0, broker: 1)
        cluster.setPartitionLeader(topic: TopicNames.latency, partition: 0, broker: 1)
        cluster.setGroupCoordinator(group: group, broker: 1)
        return (cluster, KafkaConfig(bootstrapServers: cluster.bootstrapServers))
    }

    func connector(output: String, resilience: ResilienceSpec, maxInFlight: Int = 5_000) -> ConnectorSpec {
        var spec = ConnectorSpec(
            name: "fault", mappingVersion: "t", inputTopics: ["raw.test.fault.v1"], dlqTopic: "hub.dlq.fault.v1",
            routes: [RouteSpec(name: "all", topic: output)], tuning: RuntimeTuning(batchSize: 100, maxInFlight: maxInFlight, commitIntervalMs: 200))
        spec.resilience = resilience
        return spec
    }

    func runtime(_ spec: ConnectorSpec, config: KafkaConfig, group: String, exitAfter: Int, log: ActivityLog) throws -> ConnectorRuntime {
        ConnectorRuntime(
            spec: spec, pipeline: try PipelineBuilder.build(spec, catalog: nil),
            options: .init(kafka: config, groupID: group, exitAfter: exitAfter, observer: log), logger: TestKafka.logger)
    }

    @Test("fault: the output leader broker down for 10 s mid-run — checked: every record delivered, the breaker opened and closed again, nothing sent to the DLQ")
    func outputLeaderDown() async throws {
        let (cluster, config) = try await cluster(output: "crm.fault.v1", group: "g-down")
        let count = 6_000
        try await TestKafka.publish(TestKafka.keyedRecords(topic: "raw.test.fault.v1", count: count, keys: 60), config: config)
        let breaker = CircuitBreakerSpec(window: .count(20), failureRateThreshold: 0.5, minimumCalls: 5, failuresInPeriod: 5, failurePeriodSeconds: 10, openWaitSeconds: 1, halfOpenProbes: 3)
        // Rate-limited to 500 records/s so the run lasts ~12 s and the outage lands mid-run (the
        // hub would otherwise deliver all 6,000 before the broker goes down).
        let spec = connector(output: "crm.fault.v1", resilience: ResilienceSpec(
            rateLimit: RateLimitSpec(recordsPerSecond: 500, burst: 50),
            circuitBreaker: breaker, retry: RetryPolicy(initialDelay: .milliseconds(50), maxDelay: .seconds(1)), deliveryTimeoutMs: 2_000))
        let log = ActivityLog()
        let runtime = try runtime(spec, config: config, group: "g-down", exitAfter: count, log: log)
        let run = Task { try await runtime.run() }
        try await TestKafka.when("some records delivered before the outage", { runtime.stats.snapshot.produced >= 500 }, then: { cluster.setBrokerDown(2) })
        try await TestKafka.waitUntil("the breaker opened during the outage") { log.breakerTransitions.contains { $0.to == .open } }
        try await Task.sleep(for: .seconds(10))  // the outage itself
        cluster.setBrokerUp(2)
        let summary = try await run.value
        let output = try await TestKafka.readAll("crm.fault.v1", partitions: 4, config: config)
        let missing = TestKafka.missing(output, expected: count)
        #expect(missing.isEmpty, "\(missing.count) records lost")
        #expect(summary.dlq == 0, "the outage sent records to the DLQ")
        let transitions = log.breakerTransitions
        #expect(transitions.contains { $0.to == .open })
        #expect(transitions.last?.to == .closed, "breaker: \(transitions.map(\.description))")
        print("fault broker-down: \(count) inputs → \(output.count) outputs (\(output.count - count) duplicates), \(summary.retries) retried deliveries, breaker: \(transitions.map(\.description).joined(separator: " | "))")
    }

    @Test("fault: produce requests fail with NOT_LEADER_FOR_PARTITION and REQUEST_TIMED_OUT for a stretch — checked: retried, nothing lost, nothing in the DLQ")
    func transientProduceErrors() async throws {
        let (cluster, config) = try await cluster(output: "crm.fault.v1", group: "g-errors")
        let count = 5_000
        try await TestKafka.publish(TestKafka.keyedRecords(topic: "raw.test.fault.v1", count: count, keys: 50), config: config)
        // Rate-limited (2,000 records/s) so the injected errors land mid-run.
        let spec = connector(output: "crm.fault.v1", resilience: ResilienceSpec(
            rateLimit: RateLimitSpec(recordsPerSecond: 2_000, burst: 200), deliveryTimeoutMs: 10_000))
        let log = ActivityLog()
        let runtime = try runtime(spec, config: config, group: "g-errors", exitAfter: count, log: log)
        let run = Task { try await runtime.run() }
        try await TestKafka.when("some records delivered", { runtime.stats.snapshot.produced >= 200 }) {
            try cluster.failNextRequests(.produce, with: Array(repeating: "NOT_LEADER_FOR_PARTITION", count: 30) + Array(repeating: "REQUEST_TIMED_OUT", count: 30))
        }
        let summary = try await run.value
        let output = try await TestKafka.readAll("crm.fault.v1", partitions: 4, config: config)
        #expect(TestKafka.missing(output, expected: count).isEmpty)
        #expect(summary.dlq == 0)
        print("fault produce-errors: \(count) inputs → \(output.count) outputs, \(summary.retries) runtime retries (librdkafka retried the failed requests itself)")
    }

    @Test("fault: 500 ms added round-trip time on the output leader — checked: nothing lost, the slow-call breaker opens as configured and closes once calls are fast again")
    func slowCalls() async throws {
        let (cluster, config) = try await cluster(output: "crm.fault.v1", group: "g-slow")
        let count = 3_000
        try await TestKafka.publish(TestKafka.keyedRecords(topic: "raw.test.fault.v1", count: count, keys: 30), config: config)
        let breaker = CircuitBreakerSpec(window: .count(50), failureRateThreshold: 0.5, slowCallThresholdMs: 300, slowCallRateThreshold: 0.5, minimumCalls: 20, openWaitSeconds: 1, halfOpenProbes: 3)
        // A small in-flight bound, so the breaker acts while most records are still in Kafka.
        let spec = connector(output: "crm.fault.v1", resilience: ResilienceSpec(circuitBreaker: breaker, deliveryTimeoutMs: 20_000), maxInFlight: 100)
        let log = ActivityLog()
        cluster.setRoundTripTime(broker: 2, milliseconds: 500)
        let started = ContinuousClock.now
        let runtime = try runtime(spec, config: config, group: "g-slow", exitAfter: count, log: log)
        let run = Task { try await runtime.run() }
        try await TestKafka.waitUntil("the slow-call breaker opened") { log.breakerTransitions.contains { $0.to == .open && $0.reason.contains("slow-call") } }
        let slowPhase = ContinuousClock.now - started
        let deliveredWhenOpened = runtime.stats.snapshot.produced
        cluster.setRoundTripTime(broker: 2, milliseconds: 0)
        let summary = try await run.value
        let output = try await TestKafka.readAll("crm.fault.v1", partitions: 4, config: config)
        #expect(TestKafka.missing(output, expected: count).isEmpty)
        #expect(summary.dlq == 0)
        #expect(log.breakerTransitions.last?.to == .closed, "breaker: \(log.breakerTransitions.map(\.description))")
        #expect(deliveredWhenOpened < count, "the breaker opened while records were still waiting")
        print("fault rtt-500ms: breaker opened after \(slowPhase) with \(deliveredWhenOpened) delivered; transitions: \(log.breakerTransitions.map(\.description).joined(separator: " | "))")
    }

    @Test("rate limit: a connector limited to 200 records/s delivers close to 200/s (bounds ±40%, measured rate printed) and pauses instead of buffering")
    func rateLimitHonoured() async throws {
        let cluster = try await EmbeddedKafkaCluster.start(brokers: 1)
        try await cluster.createTopic("raw.test.fault.v1", partitions: 4)
        try await cluster.createTopic("crm.fault.v1", partitions: 4)
        try await cluster.createTopic("hub.dlq.fault.v1", partitions: 1)
        let config = KafkaConfig(bootstrapServers: cluster.bootstrapServers)
        let count = 1_400
        try await TestKafka.publish(TestKafka.keyedRecords(topic: "raw.test.fault.v1", count: count, keys: 20), config: config)
        let spec = connector(output: "crm.fault.v1", resilience: ResilienceSpec(rateLimit: RateLimitSpec(recordsPerSecond: 200, burst: 20)))
        let log = ActivityLog()
        let runtime = try runtime(spec, config: config, group: "g-rate", exitAfter: count, log: log)
        let summary = try await runtime.run()
        let rate = Double(count - 20) / summary.activeSeconds
        print("rate limit: configured 200/s, measured \(String(format: "%.1f", rate))/s over \(String(format: "%.2f", summary.activeSeconds)) s, \(log.throttleCount) throttle events")
        #expect(rate > 120 && rate < 280, "measured \(rate)/s")
        #expect(log.throttleCount > 0)
        let output = try await TestKafka.readAll("crm.fault.v1", partitions: 4, config: config)
        #expect(TestKafka.missing(output, expected: count).isEmpty)
    }
}
