/// Reads the `rate_limit`, `circuit_breaker`, `retry` and `delivery_timeout_ms` keys of a connector file.
enum ResilienceSpecParser {
    static let keys: Set<String> = ["rate_limit", "circuit_breaker", "retry", "delivery_timeout_ms"]
    static let rateKeys: Set<String> = ["records_per_second", "burst", "key", "per_key_records_per_second", "max_keys"]
    static let breakerKeys: Set<String> = [
        "window", "window_size", "window_seconds", "failure_rate_threshold", "slow_call_threshold_ms",
        "slow_call_rate_threshold", "minimum_calls", "failures_in_period", "failure_period_seconds",
        "open_wait_seconds", "half_open_probes",
    ]
    static let retryKeys: Set<String> = ["initial_ms", "max_ms", "multiplier", "give_up_after_ms"]

    static func parse(_ root: ConfigNode, _ problems: inout [ConfigProblem]) -> ResilienceSpec {
        var spec = ResilienceSpec()
        if let node = root["rate_limit"] {
            node.rejectUnknownKeys(allowed: rateKeys, &problems)
            if let rate = node.required("records_per_second", &problems)?.double(&problems) {
                if rate <= 0 { problems.append(node.problem("records_per_second must be positive", field: node.child("records_per_second"))) }
                var limit = RateLimitSpec(recordsPerSecond: max(rate, 0.001))
                if let burst = node["burst"]?.double(&problems) { limit.burst = max(1, burst) }
                limit.keyPath = node["key"]?.string(&problems)
                limit.perKeyRecordsPerSecond = node["per_key_records_per_second"]?.double(&problems)
                if let maxKeys = node["max_keys"]?.int(&problems) { limit.maxKeys = max(2, maxKeys) }
                spec.rateLimit = limit
            }
        }
        if let node = root["circuit_breaker"] {
            node.rejectUnknownKeys(allowed: breakerKeys, &problems)
            var breaker = spec.circuitBreaker
            if let kind = node["window"]?.string(&problems) {
                switch kind {
                case "count": breaker.window = .count(node["window_size"]?.int(&problems) ?? 100)
                case "time": breaker.window = .time(seconds: node["window_seconds"]?.double(&problems) ?? 60)
                default: problems.append(node.problem("window must be count or time, found '\(kind)'", field: node.child("window")))
                }
            } else if let size = node["window_size"]?.int(&problems) {
                breaker.window = .count(max(1, size))
            }
            if let value = fraction(node, "failure_rate_threshold", &problems) { breaker.failureRateThreshold = value }
            if let value = node["slow_call_threshold_ms"]?.double(&problems) { breaker.slowCallThresholdMs = value }
            if let value = fraction(node, "slow_call_rate_threshold", &problems) { breaker.slowCallRateThreshold = value }
            if let value = node["minimum_calls"]?.int(&problems) { breaker.minimumCalls = max(1, value) }
            if let value = node["failures_in_period"]?.int(&problems) { breaker.failuresInPeriod = max(1, value) }
            if let value = node["failure_period_seconds"]?.double(&problems) { breaker.failurePeriodSeconds = value }
            if let value = node["open_wait_seconds"]?.double(&problems) { breaker.openWaitSeconds = max(0, value) }
            if let value = node["half_open_probes"]?.int(&problems) { breaker.halfOpenProbes = max(1, value) }
            spec.circuitBreaker = breaker
        }
        if let node = root["retry"] {
            node.rejectUnknownKeys(allowed: retryKeys, &problems)
            var retry = spec.retry
            if let value = node["initial_ms"]?.int(&problems) { retry.initialDelay = .milliseconds(max(1, value)) }
            if let value = node["max_ms"]?.int(&problems) { retry.maxDelay = .milliseconds(max(1, value)) }
            if let value = node["multiplier"]?.double(&problems) { retry.multiplier = max(1, value) }
            if let value = node["give_up_after_ms"]?.int(&problems) { retry.giveUpAfter = .milliseconds(max(1_000, value)) }
            spec.retry = retry
        }
        if let value = root["delivery_timeout_ms"]?.int(&problems) {
            if value < 1_000 { problems.append(root.problem("delivery_timeout_ms must be at least 1000", field: "delivery_timeout_ms")) }
            spec.deliveryTimeoutMs = max(1_000, value)
        }
        return spec
    }

    static func fraction(_ node: ConfigNode, _ key: String, _ problems: inout [ConfigProblem]) -> Double? {
        guard let value = node[key]?.double(&problems) else { return nil }
        guard (0...1).contains(value) else {
            problems.append(node.problem("\(key) is a share between 0 and 1, found \(value)", field: node.child(key)))
            return nil
        }
        return value
    }
}
