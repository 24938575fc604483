import SynclineMapping
import Testing

/// Issue 17, reconciliation: a month of payments with known fee and FX differences gives exactly
/// the expected totals, differences, shares and vouchers, in exact decimals; the formats and the
/// gap alert carry the same figures.
@Suite("reconciliation: CRM net receipts vs finance bookings, per period and currency")
struct ReconcilerTests {
    static func d(_ text: String) -> ExactDecimal { (try? ExactDecimal.parse(text)) ?? .zero }

    static func crm(_ id: String, _ voucher: String?, _ currency: String, gross: String, fee: String, fx: String = "0", day: String) -> ReconciliationEntry {
        let net = (try? d(gross).subtracting(d(fee)).subtracting(d(fx))) ?? .zero
        return ReconciliationEntry(side: .crm, id: id, voucherRef: voucher, currency: currency, amount: net, day: day, gross: d(gross), fee: d(fee), fxLoss: d(fx))
    }

    static func fin(_ id: String, _ voucher: String, _ currency: String, _ amount: String, day: String) -> ReconciliationEntry {
        ReconciliationEntry(side: .finance, id: id, voucherRef: voucher, currency: currency, amount: d(amount), day: day)
    }

    /// November 2026: finance booked V2 at its gross (the 20.00 bank fee), V7 without the 15.40 FX
    /// loss, never saw V4, and booked V5 the CRM never saw.
    static let month: [ReconciliationEntry] = [
        crm("T1", "V1", "CNY", gross: "10000.00", fee: "12.50", day: "2026-11-03"),
        crm("T2", "V2", "CNY", gross: "5000.00", fee: "20.00", day: "2026-11-05"),
        crm("T3", "V3", "CNY", gross: "2000.00", fee: "0.00", day: "2026-11-10"),
        crm("T4", "V4", "CNY", gross: "1000.00", fee: "40.00", day: "2026-11-20"),
        crm("T5", "V6", "USD", gross: "100.00", fee: "3.98", day: "2026-11-11"),
        crm("T6", "V7", "USD", gross: "5000.00", fee: "20.00", fx: "15.40", day: "2026-11-12"),
        fin("F1", "V1", "CNY", "9987.50", day: "2026-11-03"),
        fin("F2", "V2", "CNY", "5000.00", day: "2026-11-05"),
        fin("F3", "V3", "CNY", "2000.00", day: "2026-11-10"),
        fin("F5", "V5", "CNY", "300.00", day: "2026-11-21"),
        fin("F6", "V6", "USD", "96.02", day: "2026-11-11"),
        fin("F7", "V7", "USD", "4980.00", day: "2026-11-12"),
    ]

    @Test("the month: CNY 17927.50 vs 17287.50 (640.00, 3.7021%: a gap), USD 5060.62 vs 5076.02 (−15.40, 0.3034%: not)")
    func monthFigures() throws {
        let report = try Reconciler.reconcile(Self.month, period: .month, threshold: ReconciliationSettings.defaultThreshold)
        #expect(report.rows.map { "\($0.period) \($0.currency)" } == ["2026-11 CNY", "2026-11 USD"])
        let cny = report.rows[0]
        #expect(ReconciliationFormat.money(cny.crmNet) == "17927.50" && ReconciliationFormat.money(cny.financeBooked) == "17287.50")
        #expect(ReconciliationFormat.money(cny.difference) == "640.00" && cny.share.description == "0.037021" && cny.gap)
        #expect(cny.matchedVouchers == 2 && cny.crmCount == 4 && cny.financeCount == 4)
        #expect(cny.vouchers.map(\.voucherRef) == ["V2", "V4", "V5"])
        #expect(cny.vouchers.map(\.status) == [.differing, .crmOnly, .financeOnly])
        #expect(cny.vouchers.map { ReconciliationFormat.money($0.difference) } == ["-20.00", "960.00", "-300.00"])
        #expect(cny.vouchers[0].fee == Self.d("20.00") && cny.vouchers[0].gross == Self.d("5000.00"))
        let usd = report.rows[1]
        #expect(ReconciliationFormat.money(usd.difference) == "-15.40" && usd.share.description == "0.003034" && !usd.gap)
        #expect(usd.vouchers.count == 1 && usd.vouchers[0].fxLoss == Self.d("15.40") && usd.vouchers[0].status == .differing)
        #expect(report.gaps.count == 1)
    }

    @Test("by day each voucher's day stands alone; a threshold of 5% leaves no month gap")
    func daysAndThreshold() throws {
        let days = try Reconciler.reconcile(Self.month, period: .day, threshold: ReconciliationSettings.defaultThreshold)
        #expect(days.rows.count == 7, "five CNY days, two USD days")
        #expect(days.rows.first { $0.period == "2026-11-03" }?.gap == false)
        #expect(days.rows.first { $0.period == "2026-11-21" }.map { $0.share == ExactDecimal(1) && $0.gap } == true, "finance only: all of finance's total")
        #expect(days.rows.first { $0.period == "2026-11-20" }.map { $0.share == ExactDecimal(1) && $0.gap } == true, "CRM only, finance 0: share 100%")
        let lenient = try Reconciler.reconcile(Self.month, period: .month, threshold: try #require(Reconciler.threshold("5%")))
        #expect(lenient.gaps.isEmpty)
        #expect(Reconciler.threshold("0.5%") == ReconciliationSettings.defaultThreshold && Reconciler.threshold("-1") == nil)
    }

    @Test("JSON, CSV and the table carry the same figures; the gap alert names period, currency and difference")
    func formatsAndAlert() throws {
        let report = try Reconciler.reconcile(Self.month, period: .month, threshold: ReconciliationSettings.defaultThreshold)
        let json = ReconciliationFormat.json(report)
        #expect(json["rows"]?[0]?["difference"] == .number("640.00") && json["rows"]?[0]?["gap"] == .bool(true))
        let csv = ReconciliationFormat.csv(report)
        #expect(csv[0] == ReconciliationFormat.csvHeader)
        #expect(csv.contains("total,2026-11,CNY,,17927.50,17287.50,640.00,0.037021,true,,,"))
        #expect(csv.contains("differing,2026-11,USD,V7,4964.60,4980.00,-15.40,,,5000.00,20.00,15.40"))
        #expect(ReconciliationFormat.table(report).contains { $0.contains("2026-11") && $0.contains("GAP") && $0.contains("3.7021%") })
        let alert = ReconciliationGapAlert(connector: "finance", period: .month, row: report.rows[0], threshold: report.threshold, raisedAtMs: 0)
        #expect(alert.alertID == "reconciliation_gap-month-2026-11-CNY")
        #expect(alert.message.hasPrefix("2026-11 CNY: CRM net receipts 17927.50 vs finance booked 17287.50, difference 640.00 (3.7021%, over 0.5%)"))
        #expect(String(decoding: alert.record.key ?? [], as: UTF8.self) == alert.alertID && alert.record.topic == TopicNames.alerts)
    }

    @Test("finance's CSV export: header spellings in any order, quoted fields, bad lines reported")
    func financeCSV() {
        let text = "Booked Date,Voucher Reference,Amount,Currency,Entry ID\n2026-11-03,V1,9987.50,cny,F1\n\"2026-11-05\",\"V2\",\"5000.00\",CNY,F2\n2026-11-06,V9,abc,CNY,F9\n"
        let (entries, problems) = FinanceCSV.read(Array(text.utf8))
        #expect(entries.map(\.voucherRef) == ["V1", "V2"] && entries.map(\.currency) == ["CNY", "CNY"] && entries[0].id == "F1")
        #expect(entries[1].amount == Self.d("5000.00") && entries[1].day == "2026-11-05")
        #expect(problems.count == 1 && problems[0].hasPrefix("line 4:"))
        #expect(FinanceCSV.read(Array("voucher,amount\nV1,1\n".utf8)).problems.first?.contains("missing column(s): currency, booked_date") == true)
    }

    @Test("a crm.payments.v1 record counts on its value date, else its received_at day in the connector's zone")
    func paymentDay() throws {
        let bank = try JSONParser.parse(#"{"payment_id":"P1","currency":"cny","net_amount":9987.50,"gross_amount":10000.00,"fee":12.50,"fx_loss":0,"voucher_ref":"V1","received_at":"2026-11-30T17:00:00Z","value_date":"2026-11-30"}"#)
        #expect(ReconciliationEntry(payment: bank, utcOffsetMinutes: 480)?.day == "2026-11-30")
        let paypal = try JSONParser.parse(#"{"payment_id":"P2","currency":"USD","net_amount":96.02,"voucher_ref":"C1","received_at":"2026-11-30T17:00:00Z"}"#)
        #expect(ReconciliationEntry(payment: paypal, utcOffsetMinutes: 480)?.day == "2026-12-01")
        #expect(ReconciliationEntry(payment: try JSONParser.parse(#"{"payment_id":"P3"}"#), utcOffsetMinutes: 0) == nil)
    }
}
