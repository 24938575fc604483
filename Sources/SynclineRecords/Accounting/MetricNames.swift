/// Every Prometheus metric the hub exports, in one place, so `ops/` dashboards and alert rules
/// can be checked against them (a test does). Names carry the `syncline_` prefix and their unit.
public enum MetricNames {
    // Record flow — labels: connector, topic (input or output topic)
    public static let recordsConsumed = "syncline_records_consumed_total"
    public static let recordsProduced = "syncline_records_produced_total"
    /// labels: connector, stage, code
    public static let recordsRejected = "syncline_records_rejected_total"
    /// labels: connector. Sampled self-checks where the compiled record path and the interpreter disagreed.
    public static let compiledMismatch = "syncline_compiled_mismatch_total"
    /// labels: connector, topic (the DLQ topic)
    public static let dlqRecords = "syncline_dlq_records_total"
    /// labels: connector
    public static let deliveryRetries = "syncline_delivery_retries_total"
    /// Input records covered by offsets the group coordinator confirmed.
    public static let committedRecords = "syncline_committed_records_total"
    /// Offset commits the group coordinator refused (sent again).
    public static let commitFailures = "syncline_commit_failures_total"
    /// labels: connector, topic — input the broker deleted before the hub read it (`input_expired`).
    public static let inputExpired = "syncline_input_expired_records_total"
    /// labels: connector, kind — hub-made records (latency observations, timed outputs, alerts) the
    /// brokers refused for good, and DLQ records or hub records given up after retry.give_up_after_ms
    /// (kind dead_letter …): counted and logged instead of retried forever.
    public static let outputsDropped = "syncline_outputs_dropped_total"
    /// labels: connector, topic — records the hub crashed on twice, sent to the DLQ as `poison_pill`.
    public static let poisonPills = "syncline_poison_pills_total"
    /// labels: connector — producers recreated after a fatal error (e.g. the idempotent producer fenced).
    public static let producerRestarts = "syncline_producer_restarts_total"
    public static let inFlightRecords = "syncline_in_flight_records"
    public static let assignedPartitions = "syncline_assigned_partitions"

    // Latency — labels: connector
    /// End-to-end delay: acknowledgement time − upstream source time.
    public static let endToEndDelay = "syncline_end_to_end_delay_seconds"
    /// Attribution: broker timestamp − source time.
    public static let upstreamDelay = "syncline_upstream_delay_seconds"
    /// Attribution: consume time − broker timestamp.
    public static let queueDelay = "syncline_hub_queue_delay_seconds"
    /// Attribution: acknowledgement time − consume time.
    public static let processingDelay = "syncline_processing_delay_seconds"
    public static let recordsDelayed = "syncline_records_delayed_total"
    public static let clockSkew = "syncline_clock_skew_total"
    /// labels: connector, reason (missing | unparseable)
    public static let sourceTimeUnknown = "syncline_source_time_unknown_total"

    // Resilience — labels: connector, sink
    /// 0 closed, 1 half-open, 2 open.
    public static let breakerState = "syncline_breaker_state"
    public static let breakerTransitions = "syncline_breaker_transitions_total"
    /// labels: connector, key
    public static let rateLimitThrottled = "syncline_rate_limit_throttled_total"

    // Lag — labels: connector, topic, partition
    public static let consumerLagRecords = "syncline_consumer_lag_records"
    public static let consumerLagSeconds = "syncline_consumer_lag_seconds"

    // Ledger
    public static let ledgerWriteErrors = "syncline_ledger_write_errors_total"

    // Webhook ingress
    /// labels: connector, status (the HTTP status answered)
    public static let ingressRequests = "syncline_ingress_requests_total"
    /// labels: connector, reason (`WebhookRejection` raw values: bad_signature, replayed, rate_limited …)
    public static let ingressRejected = "syncline_ingress_rejected_total"

    // Lead assignment (processor `assignment`) — labels: connector, plus
    /// rule (the deciding rule's name, or `pool`)
    public static let assignmentDecisions = "syncline_assignment_decisions_total"
    /// pool — leads no rule took
    public static let assignmentPoolIntake = "syncline_assignment_pool_intake_total"
    /// rule, reason (`LeadDecision.SkipReason` but no_match: not_effective, field_empty, unknown_region, zero_weight, capacity)
    public static let assignmentRuleSkipped = "syncline_assignment_rule_skipped_total"

    // Field completeness — labels: connector, field (the assignment processor counts the lead fields its rules read)
    public static let fieldEmpty = "syncline_field_empty_total"
    public static let fieldSeen = "syncline_field_seen_total"

    /// Buckets of the end-to-end delay histogram, seconds (SPEC §8).
    public static let delayBuckets: [Double] = [1, 5, 15, 30, 60, 90, 120, 300, 600]
    /// Buckets of the attribution histograms, seconds.
    public static let attributionBuckets: [Double] = [0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 15, 30, 60, 90, 120, 300, 600]

    /// One line of help per metric (the `# HELP` text).
    public static let help: [String: String] = [
        recordsConsumed: "Input records consumed, by connector and input topic.",
        assignmentDecisions: "Leads assigned, by connector and deciding rule (pool: no rule took the lead).",
        assignmentPoolIntake: "Leads sent to the fallback pool because no rule took them, by connector and pool.",
        assignmentRuleSkipped: "Assignment rules skipped for a lead they could not serve, by connector, rule and reason.",
        recordsProduced: "Output records acknowledged by the brokers, by connector and output topic.",
        recordsRejected: "Input records rejected to the DLQ, by connector, stage and error code.",
        dlqRecords: "DLQ records acknowledged, by connector and DLQ topic.",
        deliveryRetries: "Deliveries retried after a transient failure.",
        committedRecords: "Input records covered by offsets the group coordinator confirmed.",
        commitFailures: "Offset commits the group coordinator refused (each is sent again).",
        inputExpired: "Input records the broker deleted before the hub read them (input_expired), by connector and topic.",
        outputsDropped: "Hub-made records (latency observations, timed outputs, alerts) the brokers refused for good, and DLQ or hub records given up after retry.give_up_after_ms, by kind.",
        poisonPills: "Records the hub crashed on twice, sent to the DLQ untouched as poison_pill, by connector and topic.",
        producerRestarts: "Producers recreated after a fatal producer error (idempotence fenced); in-flight outputs are sent again.",
        inFlightRecords: "Outputs awaiting broker acknowledgement.",
        assignedPartitions: "Input partitions assigned to this hub instance.",
        endToEndDelay: "Acknowledgement time minus upstream source time, seconds.",
        upstreamDelay: "Broker timestamp minus upstream source time, seconds.",
        queueDelay: "Consume time minus broker timestamp, seconds.",
        processingDelay: "Acknowledgement time minus consume time, seconds.",
        recordsDelayed: "Records delivered later than the connector's latency SLO.",
        clockSkew: "Records whose source time was ahead of the hub's clock beyond the tolerance.",
        sourceTimeUnknown: "Records without a usable source time, by reason (missing, unparseable).",
        breakerState: "Circuit breaker state per sink: 0 closed, 1 half-open, 2 open.",
        breakerTransitions: "Circuit breaker state changes.",
        rateLimitThrottled: "Times a connector paused because its rate limit was reached, by rule (records_per_second or per_key_records_per_second).",
        consumerLagRecords: "Records in the partition not yet consumed.",
        consumerLagSeconds: "Age of the newest consumed record while the partition has lag, seconds.",
        ledgerWriteErrors: "Failed ledger (SQLite) batch writes.",
        fieldEmpty: "Canonical fields that were empty or absent, by connector and field.",
        fieldSeen: "Canonical fields checked for emptiness, by connector and field.",
        ingressRequests: "Webhook ingress requests answered, by connector and HTTP status.",
        ingressRejected: "Webhook ingress requests refused, by connector and reason.",
        compiledMismatch: "Sampled records where the compiled record path and the interpreter disagreed (the interpreter's result was used).",
    ]

    /// Every metric name above.
    public static let all: [String] = [
        recordsConsumed, recordsProduced, recordsRejected, dlqRecords, deliveryRetries, committedRecords,
        commitFailures, inputExpired, outputsDropped, poisonPills, producerRestarts, inFlightRecords, assignedPartitions, endToEndDelay, upstreamDelay, queueDelay, processingDelay,
        recordsDelayed, clockSkew, sourceTimeUnknown, breakerState, breakerTransitions, rateLimitThrottled,
        consumerLagRecords, consumerLagSeconds, ledgerWriteErrors, fieldEmpty, fieldSeen, ingressRequests, ingressRejected,
        compiledMismatch, assignmentDecisions, assignmentPoolIntake, assignmentRuleSkipped,
    ]
}
