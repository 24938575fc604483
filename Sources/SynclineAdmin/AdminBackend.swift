public import SynclineMapping
public import SynclineStore

/// What the admin server asks of the running hub: connector status and control, metrics,
/// readiness, and the queries behind the API and the status page. The hub implements it over its
/// runtimes and stores (`HubAdminBackend`); tests give the server plain values. The server only
/// speaks HTTP.
public protocol AdminBackend: Sendable {
    func connectors() -> [ConnectorStatus]
    /// Pauses a connector's consumption and returns once it is in effect; false when no connector has that name.
    func pause(connector: String) async -> Bool
    func resume(connector: String) -> Bool
    /// Stops a connector while the hub runs on (it drains, commits and leaves its consumer group)
    /// and returns once it has; false when no connector has that name or it is not running.
    func stop(connector: String) async -> Bool
    /// Starts a connector stopped by `stop(connector:)` again; false when there is none so stopped.
    func start(connector: String) -> Bool
    /// Prometheus text exposition of every metric.
    func metricsText() -> [UInt8]
    /// Ready when every connector has its partitions and the ledger is open; otherwise the reasons.
    func readiness() -> [String]
    /// Per-connector totals and success rate since `sinceMs` (`/api/v1/channels/health`).
    func channelHealth(sinceMs: Int64) throws -> [ChannelHealth]
    /// The latest delayed records of a connector (all when nil), newest first (`/api/v1/latency/samples`).
    func delayedSamples(connector: String?, limit: Int) throws -> [DelayedSample]
    /// Indexed DLQ entries, newest first, optionally of one connector and one error code (`/api/v1/dlq`).
    func deadLetters(connector: String?, code: String?, limit: Int) throws -> [DeadLetterEntry]
    /// Exact end-to-end delay percentiles per connector over a recent window (the status page).
    func delayPercentiles() -> [DelayPercentiles]
    /// The latest records of `hub.alerts.v1`, newest first.
    func recentAlerts(limit: Int) async throws -> [RecentAlert]
    /// The lineage map drawn from the declarations, before live figures (the lineage page).
    func lineage() -> LineageGraph?
}

extension AdminBackend {
    /// A backend that cannot stop its connectors refuses.
    public func stop(connector: String) async -> Bool { false }
    public func start(connector: String) -> Bool { false }
    /// A backend that keeps no delay window reports none.
    public func delayPercentiles() -> [DelayPercentiles] { [] }
    /// A backend that cannot read Kafka reports no alerts.
    public func recentAlerts(limit: Int) async throws -> [RecentAlert] { [] }
    /// A backend without declarations draws no lineage map.
    public func lineage() -> LineageGraph? { nil }
}
