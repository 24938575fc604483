/// A `reconciliation_gap` alert on hub.alerts.v1: in one period and currency the CRM's net
/// receipts and finance's bookings differ by more than the threshold's share. Keyed by period
/// grain, period and currency, so the scheduled run raises the same id again rather than a new one.
public struct ReconciliationGapAlert: Sendable, Equatable {
    public static let kind = "reconciliation_gap"

    public var connector: String
    public var period: ReconciliationReport.Period
    public var row: ReconciliationReport.Row
    public var threshold: ExactDecimal
    public var raisedAtMs: Int64

    public init(connector: String, period: ReconciliationReport.Period, row: ReconciliationReport.Row, threshold: ExactDecimal, raisedAtMs: Int64) {
        self.connector = connector
        self.period = period
        self.row = row
        self.threshold = threshold
        self.raisedAtMs = raisedAtMs
    }

    public var alertID: String { "\(Self.kind)-\(period.rawValue)-\(row.period)-\(row.currency)" }

    public var message: String {
        let money = ReconciliationFormat.money
        let count = { (status: ReconciliationReport.Voucher.Status) in row.vouchers.filter { $0.status == status }.count }
        return "\(row.period) \(row.currency): CRM net receipts \(money(row.crmNet)) vs finance booked \(money(row.financeBooked)), "
            + "difference \(money(row.difference)) (\(ReconciliationFormat.percent(row.share)), over \(ReconciliationFormat.percent(threshold))); "
            + "\(count(.differing)) voucher(s) differ, \(count(.crmOnly)) only in the CRM, \(count(.financeOnly)) only in finance — "
            + "syncline reconcile --period \(period.rawValue) shows them with gross, fee and FX loss."
    }

    /// The hub.alerts.v1 record.
    public var record: OutputRecord {
        let money = ReconciliationFormat.money
        let members: [(String, JSONValue)] = [
            ("alert_id", .string(alertID)),
            ("kind", .string(Self.kind)),
            ("severity", .string("warning")),
            ("connector", .string(connector)),
            ("message", .string(message)),
            ("raised_at", .string(UTCTimestamp.format(ms: raisedAtMs))),
            ("period", .string(row.period)),
            ("currency", .string(row.currency)),
            ("crm_net", .number(money(row.crmNet))),
            ("finance_booked", .number(money(row.financeBooked))),
            ("difference", .number(money(row.difference))),
            ("share", .number(ReconciliationFormat.share(row.share))),
            ("vouchers_not_agreeing", .number(String(row.vouchers.count))),
        ]
        return HubAlertRecord.make(alertID: alertID, kind: Self.kind, connector: connector, raisedAtMs: raisedAtMs, members: members)
    }
}
