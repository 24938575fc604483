/// Where a processor counts what only it knows (assignments per rule, skipped rules by reason),
/// without knowing Prometheus: the hub passes its metrics; tests pass a recorder.
public protocol CounterSink: Sendable {
    func increment(_ name: String, _ labels: [String: String], by amount: Int)
}
