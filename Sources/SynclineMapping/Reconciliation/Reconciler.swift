/// Reconciles the CRM's net receipts with finance's bookings, purely and exactly (ExactDecimal;
/// an overflow is an error, never a wrong figure): entries are totalled per period and currency
/// on each side, and matched by voucher reference where both sides have one. A voucher's figures
/// are compared in full (every CRM payment and every finance entry under it); it is listed under
/// the period and currency of its first CRM payment, else of its finance entry.
public enum Reconciler {
    public static func reconcile(
        _ entries: [ReconciliationEntry], period: ReconciliationReport.Period, threshold: ExactDecimal
    ) throws(ExactDecimal.Failure) -> ReconciliationReport {
        struct Key: Hashable, Comparable {
            var period: String
            var currency: String
            static func < (a: Key, b: Key) -> Bool { (a.period, a.currency) < (b.period, b.currency) }
        }
        struct Totals {
            var crm = ExactDecimal.zero
            var finance = ExactDecimal.zero
            var crmCount = 0
            var financeCount = 0
            var matched = 0
            var vouchers: [ReconciliationReport.Voucher] = []
        }
        var totals: [Key: Totals] = [:]
        for entry in entries {
            let key = Key(period: period.key(ofDay: entry.day), currency: entry.currency)
            if entry.side == .crm {
                totals[key, default: Totals()].crm = try totals[key, default: Totals()].crm.adding(entry.amount)
                totals[key, default: Totals()].crmCount += 1
            } else {
                totals[key, default: Totals()].finance = try totals[key, default: Totals()].finance.adding(entry.amount)
                totals[key, default: Totals()].financeCount += 1
            }
        }
        var byVoucher: [String: [ReconciliationEntry]] = [:]
        var order: [String] = []
        for entry in entries {
            guard let voucher = entry.voucherRef else { continue }
            if byVoucher[voucher] == nil { order.append(voucher) }
            byVoucher[voucher, default: []].append(entry)
        }
        for voucher in order.sorted() {
            let group = byVoucher[voucher] ?? []
            let crm = group.filter { $0.side == .crm }
            let finance = group.filter { $0.side == .finance }
            guard let anchor = crm.first ?? finance.first else { continue }
            let key = Key(period: period.key(ofDay: anchor.day), currency: anchor.currency)
            let crmNet = try sum(crm.map(\.amount))
            let booked = try sum(finance.map(\.amount))
            let status: ReconciliationReport.Voucher.Status
            if crm.isEmpty {
                status = .financeOnly
            } else if finance.isEmpty {
                status = .crmOnly
            } else if crmNet == booked && Set(group.map(\.currency)).count == 1 {
                totals[key, default: Totals()].matched += 1
                continue
            } else {
                status = .differing
            }
            totals[key, default: Totals()].vouchers.append(.init(
                voucherRef: voucher, status: status, crmNet: crm.isEmpty ? nil : crmNet, financeAmount: finance.isEmpty ? nil : booked,
                difference: try crmNet.subtracting(booked), gross: try optionalSum(crm.map(\.gross)), fee: try optionalSum(crm.map(\.fee)),
                fxLoss: try optionalSum(crm.map(\.fxLoss)), ids: group.map(\.id)))
        }
        var rows: [ReconciliationReport.Row] = []
        for key in totals.keys.sorted() {
            guard let total = totals[key] else { continue }
            let difference = try total.crm.subtracting(total.finance)
            let share = try Self.share(difference, of: total.finance)
            rows.append(.init(
                period: key.period, currency: key.currency, crmNet: total.crm, financeBooked: total.finance, difference: difference,
                share: share, gap: threshold < share, crmCount: total.crmCount, financeCount: total.financeCount,
                matchedVouchers: total.matched, vouchers: total.vouchers))
        }
        let withoutVoucher = entries.filter { $0.side == .crm && $0.voucherRef == nil }.count
        return ReconciliationReport(period: period, threshold: threshold, rows: rows, withoutVoucher: withoutVoucher)
    }

    /// |difference| ÷ |base| rounded to 6 places; 1 when the base is 0 and the difference is not.
    static func share(_ difference: ExactDecimal, of base: ExactDecimal) throws(ExactDecimal.Failure) -> ExactDecimal {
        let magnitude = difference < .zero ? try ExactDecimal.zero.subtracting(difference) : difference
        let baseMagnitude = base < .zero ? try ExactDecimal.zero.subtracting(base) : base
        if baseMagnitude == .zero { return magnitude == .zero ? .zero : ExactDecimal(1) }
        return try magnitude.divided(by: baseMagnitude).rounded(to: 6)
    }

    static func sum(_ values: [ExactDecimal]) throws(ExactDecimal.Failure) -> ExactDecimal {
        var total = ExactDecimal.zero
        for value in values { total = try total.adding(value) }
        return total
    }

    static func optionalSum(_ values: [ExactDecimal?]) throws(ExactDecimal.Failure) -> ExactDecimal? {
        let present = values.compactMap { $0 }
        return present.isEmpty ? nil : try sum(present)
    }

    /// `0.5%` → 0.005, `0.005` → 0.005.
    public static func threshold(_ text: String) -> ExactDecimal? {
        let trimmed = text.hasSuffix("%") ? String(text.dropLast()) : text
        guard let value = try? ExactDecimal.parse(trimmed), !(value < .zero) else { return nil }
        return text.hasSuffix("%") ? try? value.divided(by: ExactDecimal(100)) : value
    }
}
