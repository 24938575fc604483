public import SynclineStore

/// What the admin server asks of the running hub. The hub implements it; the server only speaks HTTP.
public protocol AdminBackend: Sendable {
    func connectors() -> [ConnectorStatus]
    /// Pauses a connector's consumption and returns once it is in effect; false when no connector has that name.
    func pause(connector: String) async -> Bool
    func resume(connector: String) -> Bool
    /// Prometheus text exposition of every metric.
    func metricsText() -> [UInt8]
    /// Ready when every connector has its partitions and the ledger is open; otherwise the reasons.
    func readiness() -> [String]
    var ledger: Ledger { get }
}
