public import Prometheus
public import SynclineMapping
import Synchronization

/// Turns connector activity into the Prometheus metrics of `MetricNames`, on one registry that
/// `/metrics` renders. Metric objects are created once per label set and cached.
public final class HubMetrics: ConnectorObserver, @unchecked Sendable {
    public let registry = PrometheusCollectorRegistry()
    private let counters = Mutex<[String: Counter]>([:])
    private let gauges = Mutex<[String: Gauge]>([:])
    private let histograms = Mutex<[String: ValueHistogram]>([:])

    public init() {}

    /// Creates a connector's base series at zero, so rates and alerts work before the first record.
    public func prepare(connector spec: ConnectorSpec) {
        for topic in spec.inputTopics { counter(MetricNames.recordsConsumed, ["connector": spec.name, "topic": topic]) }
        for route in spec.routes { counter(MetricNames.recordsProduced, ["connector": spec.name, "topic": route.topic]) }
        counter(MetricNames.dlqRecords, ["connector": spec.name, "topic": spec.dlqTopic])
        for name in [
            MetricNames.recordsDelayed, MetricNames.clockSkew, MetricNames.deliveryRetries, MetricNames.committedRecords,
            MetricNames.commitFailures, MetricNames.compiledMismatch, MetricNames.producerRestarts,
        ] {
            counter(name, ["connector": spec.name])
        }
        for topic in spec.inputTopics {
            counter(MetricNames.inputExpired, ["connector": spec.name, "topic": topic])
            counter(MetricNames.poisonPills, ["connector": spec.name, "topic": topic])
        }
        let labels = ["connector": spec.name]
        histogram(MetricNames.endToEndDelay, labels, buckets: MetricNames.delayBuckets)
        for name in [MetricNames.upstreamDelay, MetricNames.queueDelay, MetricNames.processingDelay] {
            histogram(name, labels, buckets: MetricNames.attributionBuckets)
        }
        gauge(MetricNames.breakerState, ["connector": spec.name, "sink": "kafka"]).set(to: 0)
    }

    public func record(_ activity: ConnectorActivity) {
        let connector = activity.connector
        let base = ["connector": connector]
        for (topic, count) in activity.consumed {
            counter(MetricNames.recordsConsumed, ["connector": connector, "topic": topic]).increment(by: Int64(count))
        }
        for (topic, count) in activity.produced {
            counter(MetricNames.recordsProduced, ["connector": connector, "topic": topic]).increment(by: Int64(count))
        }
        for (key, count) in activity.rejected {
            counter(MetricNames.recordsRejected, ["connector": connector, "stage": key.stage.rawValue, "code": key.code])
                .increment(by: Int64(count))
        }
        for notice in activity.deadLetters {
            counter(MetricNames.dlqRecords, ["connector": connector, "topic": notice.dlqTopic]).increment()
        }
        if !activity.observations.isEmpty {
            let total = histogram(MetricNames.endToEndDelay, base, buckets: MetricNames.delayBuckets)
            let upstream = histogram(MetricNames.upstreamDelay, base, buckets: MetricNames.attributionBuckets)
            let queue = histogram(MetricNames.queueDelay, base, buckets: MetricNames.attributionBuckets)
            let processing = histogram(MetricNames.processingDelay, base, buckets: MetricNames.attributionBuckets)
            for observation in activity.observations {
                total.record(Double(observation.delayMs) / 1000)
                upstream.record(Double(observation.upstreamMs) / 1000)
                queue.record(Double(observation.queueMs) / 1000)
                processing.record(Double(observation.processingMs) / 1000)
            }
        }
        if !activity.delayed.isEmpty { counter(MetricNames.recordsDelayed, base).increment(by: Int64(activity.delayed.count)) }
        if activity.skewed > 0 { counter(MetricNames.clockSkew, base).increment(by: Int64(activity.skewed)) }
        for (reason, count) in activity.unknownSource {
            counter(MetricNames.sourceTimeUnknown, ["connector": connector, "reason": reason]).increment(by: Int64(count))
        }
        if activity.retries > 0 { counter(MetricNames.deliveryRetries, base).increment(by: Int64(activity.retries)) }
        if activity.committed > 0 { counter(MetricNames.committedRecords, base).increment(by: Int64(activity.committed)) }
        if activity.compiledMismatches > 0 {
            counter(MetricNames.compiledMismatch, base).increment(by: Int64(activity.compiledMismatches))
        }
        if activity.commitFailures > 0 { counter(MetricNames.commitFailures, base).increment(by: Int64(activity.commitFailures)) }
        for (topic, count) in activity.expired {
            counter(MetricNames.inputExpired, ["connector": connector, "topic": topic]).increment(by: Int64(count))
        }
        for (topic, count) in activity.poisonPills {
            counter(MetricNames.poisonPills, ["connector": connector, "topic": topic]).increment(by: Int64(count))
        }
        if activity.producerRestarts > 0 { counter(MetricNames.producerRestarts, base).increment(by: Int64(activity.producerRestarts)) }
        for (kind, count) in activity.dropped {
            counter(MetricNames.outputsDropped, ["connector": connector, "kind": kind]).increment(by: Int64(count))
        }
        for (key, count) in activity.throttled {
            // Labelled by the rate-limit rule, never by the record key (personal data, unbounded).
            counter(MetricNames.rateLimitThrottled, ["connector": connector, "rule": Self.rateLimitRule(throttledKey: key)])
                .increment(by: Int64(count))
        }
        for change in activity.breakerTransitions {
            counter(MetricNames.breakerTransitions, ["connector": connector, "sink": "kafka", "to": change.to.rawValue]).increment()
            gauge(MetricNames.breakerState, ["connector": connector, "sink": "kafka"]).set(to: change.to.gaugeValue)
        }
        for (field, seen) in activity.fieldSeen {
            counter(MetricNames.fieldSeen, ["connector": connector, "field": field]).increment(by: Int64(seen))
            counter(MetricNames.fieldEmpty, ["connector": connector, "field": field]).increment(by: Int64(activity.fieldEmpty[field] ?? 0))
        }
        for lag in activity.lag {
            let labels = ["connector": connector, "topic": lag.topic, "partition": String(lag.partition)]
            gauge(MetricNames.consumerLagRecords, labels).set(to: Double(lag.records))
            gauge(MetricNames.consumerLagSeconds, labels).set(to: lag.seconds)
        }
    }

    /// Sets a gauge (in-flight records, assigned partitions, breaker state …).
    public func set(_ name: String, _ labels: [String: String], to value: Double) {
        gauge(name, labels).set(to: value)
    }

    public func increment(_ name: String, _ labels: [String: String], by amount: Int = 1) {
        counter(name, labels).increment(by: Int64(amount))
    }

    /// The Prometheus text exposition.
    public func render() -> [UInt8] { registry.emitToBuffer() }

    @discardableResult
    private func counter(_ name: String, _ labels: [String: String]) -> Counter {
        let key = Self.key(name, labels)
        return counters.withLock { cache in
            if let existing = cache[key] { return existing }
            let made = registry.makeCounter(descriptor: Self.descriptor(name), labels: labels.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
            cache[key] = made
            return made
        }
    }

    private func gauge(_ name: String, _ labels: [String: String]) -> Gauge {
        let key = Self.key(name, labels)
        return gauges.withLock { cache in
            if let existing = cache[key] { return existing }
            let made = registry.makeGauge(descriptor: Self.descriptor(name), labels: labels.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
            cache[key] = made
            return made
        }
    }

    @discardableResult
    private func histogram(_ name: String, _ labels: [String: String], buckets: [Double]) -> ValueHistogram {
        let key = Self.key(name, labels)
        return histograms.withLock { cache in
            if let existing = cache[key] { return existing }
            let made = registry.makeValueHistogram(
                descriptor: Self.descriptor(name), labels: labels.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }, buckets: buckets)
            cache[key] = made
            return made
        }
    }

    private static func descriptor(_ name: String) -> MetricNameDescriptor {
        MetricNameDescriptor(metricName: name, unitName: "", helpText: MetricNames.help[name] ?? name)
    }

    private static func key(_ name: String, _ labels: [String: String]) -> String {
        name + "|" + labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
    }

    /// The `rule` label of a throttle: the connector's own bucket (`*`) or the per-key one.
    static func rateLimitRule(throttledKey key: String) -> String {
        key == "*" ? "records_per_second" : "per_key_records_per_second"
    }
}
