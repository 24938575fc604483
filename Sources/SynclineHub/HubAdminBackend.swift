public import SynclineAdmin
public import SynclineConnectors
public import SynclineRuntime
public import SynclineStore
import Foundation
import Synchronization
public import SynclineMapping

/// The running hub as the admin server sees it: connector status, pause/resume, metrics, readiness,
/// and the API's queries answered from the ledger.
public final class HubAdminBackend: AdminBackend, @unchecked Sendable {
    public let runtimes: [ConnectorRuntime]
    public let metrics: HubMetrics
    /// The ledger behind `channelHealth`, `delayedSamples` and `deadLetters`.
    let ledger: Ledger
    /// Recent delays for `delayPercentiles()` and the alerts reader for `recentAlerts(limit:)` (status page).
    public let delays: DelayWindow?
    public let alertTail: AlertTail?
    /// The identity index reader: ready only once it has caught up with `crm.customers.v1`.
    public let identity: IdentityIndexService?
    /// The lineage map of the hub's declarations (the admin server's lineage page).
    public let lineageGraph: LineageGraph?
    private let rates = Mutex<[String: (at: ContinuousClock.Instant, consumed: Int, rate: Double)]>([:])

    public init(
        runtimes: [ConnectorRuntime], metrics: HubMetrics, ledger: Ledger, delays: DelayWindow? = nil, alertTail: AlertTail? = nil,
        identity: IdentityIndexService? = nil, lineage: LineageGraph? = nil
    ) {
        self.lineageGraph = lineage
        self.identity = identity
        self.delays = delays
        self.alertTail = alertTail
        self.runtimes = runtimes
        self.metrics = metrics
        self.ledger = ledger
    }

    public func lineage() -> LineageGraph? { lineageGraph }

    public func connectors() -> [ConnectorStatus] {
        runtimes.map { runtime in
            let stats = runtime.stats.snapshot
            var status = ConnectorStatus(
                name: runtime.spec.name, state: runtime.isRunning ? (runtime.isPausedByOperator ? "paused" : "running") : "stopped",
                breaker: runtime.breakerState.rawValue, mappingVersion: runtime.spec.mappingVersion, inputTopics: runtime.spec.inputTopics,
                assignedPartitions: runtime.assignedPartitions, recordsPerSecond: rate(runtime.spec.name, consumed: stats.consumed),
                consumed: stats.consumed, produced: stats.produced, deadLettered: stats.deadLettered, inFlight: stats.inFlight,
                lagRecords: Int64(stats.lagRecords), lagSeconds: Double(stats.lagMillis) / 1000,
                fieldEmptyRates: runtime.stats.fieldEmptyRates)
            status.stateRestore = Self.describe(runtime.stateRestore)
            return status
        }
    }

    /// `restoring 1/3 partitions`, `restored 3/3 partitions, last p7: 120 records in 0.041 s`.
    static func describe(_ progress: StateRestoreProgress) -> String? {
        guard progress.stateful else { return nil }
        let total = progress.pending + progress.restored
        var text = progress.pending > 0 ? "restoring \(progress.restored)/\(total) partitions" : "restored \(progress.restored)/\(total) partitions"
        if let last = progress.latest.last {
            text += ", last p\(last.partition): \(last.records) records in \(String(format: "%.3f", last.seconds)) s"
        }
        if let error = progress.lastError { text += " (retrying: \(error))" }
        return text
    }

    /// Records/s since the previous look (looks closer than a second apart reuse the last rate).
    private func rate(_ name: String, consumed: Int) -> Double {
        rates.withLock { table in
            let now = ContinuousClock.now
            guard let last = table[name] else {
                table[name] = (now, consumed, 0)
                return 0
            }
            let elapsed = Double((now - last.at) / .milliseconds(1)) / 1000
            guard elapsed >= 1 else { return last.rate }
            let value = Double(consumed - last.consumed) / elapsed
            table[name] = (now, consumed, value)
            return value
        }
    }

    public func pause(connector: String) async -> Bool {
        guard let runtime = runtimes.first(where: { $0.spec.name == connector }) else { return false }
        await runtime.pauseAndWait()
        return true
    }

    public func resume(connector: String) -> Bool {
        guard let runtime = runtimes.first(where: { $0.spec.name == connector }) else { return false }
        runtime.resume()
        return true
    }

    public func stop(connector: String) async -> Bool {
        guard let runtime = runtimes.first(where: { $0.spec.name == connector }) else { return false }
        return await runtime.stopForOperator()
    }

    public func start(connector: String) -> Bool {
        guard let runtime = runtimes.first(where: { $0.spec.name == connector }) else { return false }
        return runtime.startForOperator()
    }

    public func metricsText() -> [UInt8] {
        for runtime in runtimes {
            let stats = runtime.stats.snapshot
            let labels = ["connector": runtime.spec.name]
            metrics.set(MetricNames.inFlightRecords, labels, to: Double(stats.inFlight))
            metrics.set(MetricNames.assignedPartitions, labels, to: Double(runtime.assignedPartitions))
        }
        return metrics.render()
    }

    public func readiness() -> [String] {
        var reasons: [String] = []
        if let identity, !identity.isCaughtUp {
            reasons.append("the identity index has not caught up with \(identity.topic) yet")
        }
        for runtime in runtimes {
            if runtime.assignedPartitions == 0 {
                reasons.append("connector \(runtime.spec.name) has no partitions assigned yet")
            } else if !runtime.stateRestore.isCaughtUp, let progress = Self.describe(runtime.stateRestore) {
                reasons.append("connector \(runtime.spec.name) is restoring its state: \(progress)")
            }
        }
        return reasons
    }

    public func channelHealth(sinceMs: Int64) throws -> [ChannelHealth] {
        try ledger.channelHealth(sinceMs: sinceMs)
    }

    public func delayedSamples(connector: String?, limit: Int) throws -> [DelayedSample] {
        try ledger.latestDelayedSamples(connector: connector, limit: limit)
    }

    public func deadLetters(connector: String?, code: String?, limit: Int) throws -> [DeadLetterEntry] {
        try ledger.deadLetters(connector: connector, code: code, limit: limit)
    }

    public func delayPercentiles() -> [DelayPercentiles] {
        delays?.percentiles(connectors: runtimes.map(\.spec.name), nowMs: EpochClock.nowMs()) ?? []
    }

    public func recentAlerts(limit: Int) async throws -> [RecentAlert] {
        try await alertTail?.latest(limit: limit) ?? []
    }
}
