/// The outcome of a reconciliation: per period and currency, the CRM's net receipts against
/// finance's booked amounts, the difference and its share of finance's total, whether it is a gap
/// (over the threshold), and every voucher that does not agree — only on one side, or on both
/// with different amounts — with its gross, fee and FX loss so the cause is visible.
public struct ReconciliationReport: Sendable, Equatable {
    public enum Period: String, Sendable, CaseIterable {
        case day, month

        /// The period a `YYYY-MM-DD` day falls in.
        public func key(ofDay day: String) -> String { self == .day ? day : String(day.prefix(7)) }
    }

    public struct Voucher: Sendable, Equatable {
        public enum Status: String, Sendable { case differing, crmOnly = "crm_only", financeOnly = "finance_only" }
        public var voucherRef: String
        public var status: Status
        public var crmNet: ExactDecimal?
        public var financeAmount: ExactDecimal?
        /// CRM net − finance (a missing side counts as 0).
        public var difference: ExactDecimal
        public var gross: ExactDecimal?
        public var fee: ExactDecimal?
        public var fxLoss: ExactDecimal?
        /// The CRM payments and finance entries behind it.
        public var ids: [String]
    }

    public struct Row: Sendable, Equatable {
        public var period: String
        public var currency: String
        public var crmNet: ExactDecimal
        public var financeBooked: ExactDecimal
        /// CRM net − finance booked.
        public var difference: ExactDecimal
        /// |difference| ÷ |finance booked| (1 when finance booked nothing but the CRM did), 6 places.
        public var share: ExactDecimal
        public var gap: Bool
        public var crmCount: Int
        public var financeCount: Int
        public var matchedVouchers: Int
        public var vouchers: [Voucher]
    }

    public var period: Period
    /// The share above which a row is a gap (0.005 = 0.5%).
    public var threshold: ExactDecimal
    public var rows: [Row]
    /// CRM payments without a voucher reference (counted in the totals, matched to nothing).
    public var withoutVoucher: Int

    public var gaps: [Row] { rows.filter(\.gap) }
}
