/// A reconciliation report as people and finance read it: a text table, JSON (amounts as exact
/// number literals), or CSV (one line per period and currency, then one per voucher that does not
/// agree, all with the same columns).
public enum ReconciliationFormat {
    /// An amount with at least 2 places (`2970000.00`).
    public static func money(_ value: ExactDecimal) -> String {
        (value.rescaledExactly(to: max(2, value.scale)) ?? value).description
    }

    /// A share as a percentage with up to 4 places (`0.5%`, `3.7021%`).
    public static func percent(_ share: ExactDecimal) -> String {
        let value = (try? share.multiplied(by: ExactDecimal(100)).rounded(to: 4)) ?? share
        return value.normalized.description + "%"
    }

    public static func table(_ report: ReconciliationReport) -> [String] {
        var lines = ["reconciliation by \(report.period.rawValue) · CRM net receipts (\(TopicNames.payments)) vs finance booked · gap over \(percent(report.threshold))"]
        if report.rows.isEmpty { return lines + ["(nothing to reconcile)"] }
        let header = ["period", "currency", "crm net", "finance", "difference", "share", "", "vouchers ok/differ/crm-only/fin-only"]
        var cells = [header]
        for row in report.rows {
            let count = { (status: ReconciliationReport.Voucher.Status) in row.vouchers.filter { $0.status == status }.count }
            cells.append([
                row.period, row.currency, money(row.crmNet), money(row.financeBooked), money(row.difference), percent(row.share),
                row.gap ? "GAP" : "ok", "\(row.matchedVouchers)/\(count(.differing))/\(count(.crmOnly))/\(count(.financeOnly))",
            ])
        }
        let widths = header.indices.map { column in cells.map { $0[column].count }.max() ?? 0 }
        for row in cells {
            lines.append(trimmedRight(row.enumerated().map { index, cell in
                index >= 2 && index <= 5 ? String(repeating: " ", count: widths[index] - cell.count) + cell : cell + String(repeating: " ", count: widths[index] - cell.count)
            }.joined(separator: "  ")))
        }
        for row in report.rows where !row.vouchers.isEmpty {
            lines.append("")
            lines.append("\(row.period) \(row.currency): vouchers that do not agree")
            for voucher in row.vouchers {
                var parts = ["  \(voucher.voucherRef)", voucher.status.rawValue]
                parts.append("crm net \(voucher.crmNet.map(money) ?? "—")")
                parts.append("finance \(voucher.financeAmount.map(money) ?? "—")")
                parts.append("difference \(money(voucher.difference))")
                if let gross = voucher.gross { parts.append("gross \(money(gross)) fee \(voucher.fee.map(money) ?? "0.00") fx loss \(voucher.fxLoss.map(money) ?? "0.00")") }
                lines.append(parts.joined(separator: " · "))
            }
        }
        if report.withoutVoucher > 0 { lines.append("\(report.withoutVoucher) CRM payment(s) without a voucher reference (in the totals, matched to nothing)") }
        return lines
    }

    /// A share with its 6 places (`1.000000`, `0.037021`).
    public static func share(_ value: ExactDecimal) -> String { (value.rescaledExactly(to: 6) ?? value).description }

    static func trimmedRight(_ line: String) -> String { String(line.reversed().drop(while: { $0 == " " }).reversed()) }

    public static func json(_ report: ReconciliationReport) -> JSONValue {
        func number(_ value: ExactDecimal?) -> JSONValue { value.map { .number(money($0)) } ?? .null }
        return .object([
            "period": .string(report.period.rawValue), "threshold": .number(report.threshold.description),
            "without_voucher": .number(String(report.withoutVoucher)),
            "rows": .array(report.rows.map { row in
                .object([
                    "period": .string(row.period), "currency": .string(row.currency), "crm_net": number(row.crmNet),
                    "finance_booked": number(row.financeBooked), "difference": number(row.difference),
                    "share": .number(share(row.share)), "gap": .bool(row.gap), "crm_payments": .number(String(row.crmCount)),
                    "finance_entries": .number(String(row.financeCount)), "matched_vouchers": .number(String(row.matchedVouchers)),
                    "vouchers": .array(row.vouchers.map { voucher in
                        .object([
                            "voucher_ref": .string(voucher.voucherRef), "status": .string(voucher.status.rawValue),
                            "crm_net": number(voucher.crmNet), "finance_booked": number(voucher.financeAmount),
                            "difference": number(voucher.difference), "gross": number(voucher.gross), "fee": number(voucher.fee),
                            "fx_loss": number(voucher.fxLoss), "ids": .array(voucher.ids.map(JSONValue.string)),
                        ])
                    }),
                ])
            }),
        ])
    }

    public static let csvHeader = "kind,period,currency,voucher_ref,crm_net,finance_booked,difference,share,gap,gross,fee,fx_loss"

    public static func csv(_ report: ReconciliationReport) -> [String] {
        func field(_ text: String) -> String {
            text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
        }
        var lines = [csvHeader]
        for row in report.rows {
            lines.append(["total", row.period, row.currency, "", money(row.crmNet), money(row.financeBooked), money(row.difference),
                          share(row.share), row.gap ? "true" : "false", "", "", ""].map(field).joined(separator: ","))
            for voucher in row.vouchers {
                lines.append([voucher.status.rawValue, row.period, row.currency, voucher.voucherRef, voucher.crmNet.map(money) ?? "",
                              voucher.financeAmount.map(money) ?? "", money(voucher.difference), "", "", voucher.gross.map(money) ?? "",
                              voucher.fee.map(money) ?? "", voucher.fxLoss.map(money) ?? ""].map(field).joined(separator: ","))
            }
        }
        return lines
    }
}
