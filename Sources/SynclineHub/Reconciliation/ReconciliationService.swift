public import Logging
public import ServiceLifecycle
public import SynclineCore
public import SynclineKafka
import Foundation
import Synchronization

/// The scheduled reconciliation inside `syncline up`: every `reconcile_every` it reads both sides
/// (`ReconciliationSource`), reconciles per month and per day, and raises a `reconciliation_gap`
/// alert on hub.alerts.v1 for each month and currency over the threshold — again only when that
/// row's figures changed (the alert id stays the same; the topic is compacted by it). Days are
/// reported, not alerted: a receipt booked a day later than the CRM saw it is a day gap that the
/// month absorbs. The latest reports are kept for whoever asks (`latest`).
public final class ReconciliationService: Service, Sendable {
    public let settings: ReconciliationSettings
    let source: ReconciliationSource
    let kafka: KafkaConfig
    let logger: Logger
    private let raised = Mutex<[String: String]>([:])
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
                _ = try await BlockingThread.run { [self] in try runOnce(nowMs: Int64(Date().timeIntervalSince1970 * 1000)) }
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
        for period in [ReconciliationReport.Period.month, .day] {
            let report = try Reconciler.reconcile(entries, period: period, threshold: settings.threshold)
            made.append(report)
            for row in report.gaps where period == .month {
                let alert = ReconciliationGapAlert(connector: settings.connector, period: period, row: row, threshold: settings.threshold, raisedAtMs: nowMs)
                let figures = "\(row.crmNet)|\(row.financeBooked)|\(row.vouchers.count)"
                if raised.withLock({ $0[alert.alertID] }) != figures { alerts.append(alert) }
            }
        }
        reports.withLock { $0 = made }
        guard !alerts.isEmpty else { return [] }
        let producer = try KafkaProducer(config: kafka, logger: logger)
        defer { producer.close() }
        try producer.produceAll(alerts.map(\.record), flushTimeoutMs: 30_000)
        raised.withLock { memory in
            for alert in alerts { memory[alert.alertID] = "\(alert.row.crmNet)|\(alert.row.financeBooked)|\(alert.row.vouchers.count)" }
        }
        // The figures are on the alert and in `syncline reconcile` (the log masker would star them).
        for alert in alerts { logger.warning("\(alert.alertID) raised: run syncline reconcile --only \(alert.row.period)") }
        return alerts
    }
}
