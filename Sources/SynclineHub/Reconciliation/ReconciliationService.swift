public import Logging
public import ServiceLifecycle
public import SynclineMapping
public import SynclineKafka
import Foundation
import Synchronization

/// The scheduled reconciliation inside `syncline up`: every `reconcile_every` it reads both sides
/// (`ReconciliationSource`), reconciles per month and per day, and raises a `reconciliation_gap`
/// alert on hub.alerts.v1 for each month and currency over the threshold — again only when that
/// row's figures changed (the alert id stays the same; the topic is compacted by it). A gap is
/// alerted only once two runs in a row saw the same figures: a run that lands while one side is
/// still being ingested (receipts in, their payments not yet) sees a passing gap, not one to page
/// finance about. Days are
/// reported, not alerted: a receipt booked a day later than the CRM saw it is a day gap that the
/// month absorbs. The latest reports are kept for whoever asks (`latest`).
public final class ReconciliationService: Service, Sendable {
    public let settings: ReconciliationSettings
    let source: ReconciliationSource
    let kafka: KafkaConfig
    let logger: Logger
    private let raised = Mutex<[String: String]>([:])
    /// Each month gap's figures in the previous run: a gap is alerted once it is seen unchanged twice.
    private let previous = Mutex<[String: String]>([:])
    private let reports = Mutex<[ReconciliationReport]>([])

    public init(settings: ReconciliationSettings, kafka: KafkaConfig, catalog: TopicCatalog?, logger: Logger) {
        self.settings = settings
        self.kafka = kafka
        self.logger = logger
        source = ReconciliationSource(config: kafka, catalog: catalog, logger: logger)
    }

    /// The month and day reports of the latest run.
    public var latest: [ReconciliationReport] { reports.withLock { $0 } }

    public func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .milliseconds(self.settings.everyMs)) }
            guard !Task.isShuttingDownGracefully && !Task.isCancelled else { break }
            do {
                _ = try await BlockingThread.run { [self] in try runOnce(nowMs: EpochClock.nowMs()) }
            } catch {
                logger.error("reconciliation: run failed, trying again in \(settings.everyMs / 1000) s: \(error)")
            }
        }
    }

    /// One run: reconcile, publish the alerts of new or changed gaps; returns them. Blocking.
    @discardableResult
    public func runOnce(nowMs: Int64) throws -> [ReconciliationGapAlert] {
        let entries = try source.crmPayments(utcOffsetMinutes: settings.utcOffsetMinutes) + source.financeBookings()
        var alerts: [ReconciliationGapAlert] = []
        var made: [ReconciliationReport] = []
        var seen: [String: String] = [:]
        let before = previous.withLock { $0 }
        for period in [ReconciliationReport.Period.month, .day] {
            let report = try Reconciler.reconcile(entries, period: period, threshold: settings.threshold)
            made.append(report)
            for row in report.gaps where period == .month {
                let alert = ReconciliationGapAlert(connector: settings.connector, period: period, row: row, threshold: settings.threshold, raisedAtMs: nowMs)
                let figures = Self.figures(alert.row)
                seen[alert.alertID] = figures
                if Self.shouldRaise(figures: figures, previous: before[alert.alertID], raised: raised.withLock { $0[alert.alertID] }) {
                    alerts.append(alert)
                }
            }
        }
        previous.withLock { $0 = seen }
        reports.withLock { $0 = made }
        guard !alerts.isEmpty else { return [] }
        let producer = try KafkaProducer(config: kafka, logger: logger)
        defer { producer.close() }
        try producer.produceAll(alerts.map(\.record), flushTimeoutMs: 30_000)
        raised.withLock { memory in
            for alert in alerts { memory[alert.alertID] = Self.figures(alert.row) }
        }
        // The figures are on the alert and in `syncline reconcile` (the log masker would star them).
        for alert in alerts { logger.warning("\(alert.alertID) raised: run syncline reconcile --only \(alert.row.period)") }
        return alerts
    }

    /// Whether a gap is alerted now: the previous run saw the same figures (it has settled) and
    /// they are not the figures already alerted.
    static func shouldRaise(figures: String, previous: String?, raised: String?) -> Bool {
        previous == figures && raised != figures
    }

    /// What identifies a gap's state: both totals and how many vouchers differ.
    static func figures(_ row: ReconciliationReport.Row) -> String { "\(row.crmNet)|\(row.financeBooked)|\(row.vouchers.count)" }
}
