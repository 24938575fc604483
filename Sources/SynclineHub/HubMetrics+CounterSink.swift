public import SynclineMapping

/// Processors count into the hub's registry (assignment decisions, skipped rules …).
extension HubMetrics: CounterSink {}
