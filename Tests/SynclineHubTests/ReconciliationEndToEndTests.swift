import Foundation
import SynclineAdmin
import SynclineMapping
import SynclineHub
import SynclineKafka
import Testing

/// Issue 17, "a month of payments with known fee and FX differences produces exactly the expected
/// reconciliation figures and one reconciliation_gap alert": the shipped erp and finance connectors
/// under the hub, raw bank receipts and finance rows for November 2026; the scheduled run raises
/// exactly one alert (CNY), and `syncline reconcile` prints the same figures from the topics and
/// from finance's CSV export.
@Suite("Reconciliation end to end over the embedded cluster", .serialized)
struct ReconciliationEndToEndTests {
    let logger = HubTestSupport.logger

    /// A bank receipt callback as the erp connector reads it (raw.erp.payments.v1).
    static func bank(_ id: String, voucher: String, currency: String, amount: String, fee: String, fx: String = "0", day: String) -> OutputRecord {
        let members: [(String, JSONValue)] = [
            ("callback_id", .string("BRC-\(id)")), ("callback_type", .string("receipt.settled")), ("notify_time", .string("\(day) 16:00:00")),
            ("transaction_id", .string(id)), ("voucher_no", .string(voucher)), ("amount", .string(amount)), ("fee", .string(fee)),
            ("net_amount", .null), ("currency", .string(currency.lowercased())), ("value_date", .string(day)),
            ("received_at", .string("\(day)T10:00:00+08:00")), ("order_no", .string("SO-\(id)")), ("customer_code", .string("C-1")),
            ("payer", .object(["name": .string("Acme"), "account": .string("6222 0212 3456 7890")])), ("fx_loss", .string(fx)),
        ]
        return OutputRecord(topic: TopicNames.rawERPPayments, key: Array(id.utf8), value: JSONWriter.bytes(orderedObject: members))
    }

    static func finance(_ id: String, voucher: String, currency: String, amount: String, day: String) -> OutputRecord {
        let members: [(String, JSONValue)] = [
            ("entry_id", .string(id)), ("voucher_ref", .string(voucher)), ("booked_amount", .string(amount)),
            ("currency", .string(currency)), ("booked_date", .string(day)), ("booked_at", .string("\(day)T18:00:00+08:00")),
        ]
        return OutputRecord(topic: TopicNames.rawFinanceReceipts, key: Array(id.utf8), value: JSONWriter.bytes(orderedObject: members))
    }

    /// The month of ReconcilerTests, through the real connectors: finance booked V2 at its gross (a
    /// 20.00 fee), V7 without its 15.40 FX loss, never saw V4, and booked V5 the CRM never saw.
    static let payments = [
        bank("T1", voucher: "V1", currency: "CNY", amount: "10000.00", fee: "12.50", day: "2026-11-03"),
        bank("T2", voucher: "V2", currency: "CNY", amount: "5000.00", fee: "20.00", day: "2026-11-05"),
        bank("T3", voucher: "V3", currency: "CNY", amount: "2000.00", fee: "0", day: "2026-11-10"),
        bank("T4", voucher: "V4", currency: "CNY", amount: "1000.00", fee: "40.00", day: "2026-11-20"),
        bank("T5", voucher: "V6", currency: "USD", amount: "100.00", fee: "3.98", day: "2026-11-11"),
        bank("T6", voucher: "V7", currency: "USD", amount: "5000.00", fee: "20.00", fx: "15.40", day: "2026-11-12"),
    ]
    static let bookings: [(String, String, String, String, String)] = [
        ("F1", "V1", "CNY", "9987.50", "2026-11-03"), ("F2", "V2", "CNY", "5000.00", "2026-11-05"),
        ("F3", "V3", "CNY", "2000.00", "2026-11-10"), ("F5", "V5", "CNY", "300.00", "2026-11-21"),
        ("F6", "V6", "USD", "96.02", "2026-11-11"), ("F7", "V7", "USD", "4980.00", "2026-11-12"),
    ]

    @Test("November: one reconciliation_gap alert (CNY: 640.00, 3.7021%); reconcile prints the figures from the topics and from a CSV export")
    func monthOfPayments() async throws {
        let root = ProjectFixture.repositoryRoot
        let erp = try String(contentsOf: root.appendingPathComponent("connectors/erp.yaml"), encoding: .utf8)
        let finance = try String(contentsOf: root.appendingPathComponent("connectors/finance.yaml"), encoding: .utf8)
            .replacingOccurrences(of: "reconcile_every: 1m", with: "reconcile_every: 1s")
        let project = try ProjectFixture(connectors: ["erp.yaml": erp, "finance.yaml": finance])
        let hub = try await ReadyHub.start(project, logger: logger)
        defer { hub.stop() }
        let app = hub.app
        let base = hub.base
        let config = hub.config
        try await HubTestSupport.publish(
            Self.payments + Self.bookings.map { Self.finance($0.0, voucher: $0.1, currency: $0.2, amount: $0.3, day: $0.4) }, config: config)
        let payments = try await HubTestSupport.waitForTopic(TopicNames.payments, count: 6, partitions: 12, config: config)
        let receipts = try await HubTestSupport.waitForTopic(TopicNames.financeReceipts, count: 6, partitions: 12, config: config)
        #expect(payments.count == 6 && receipts.count == 6)

        // The scheduled run (every 1 s here) raises the CNY month's gap; USD (0.3034%) stays under 0.5%.
        let deadline = ContinuousClock.now + .seconds(60)
        var gaps: [InputRecord] = []
        while ContinuousClock.now < deadline {
            gaps = try await HubTestSupport.read(TopicNames.alerts, partitions: 6, config: config)
                .filter { (try? JSONParser.parse($0.value ?? []))?["kind"]?.stringValue == ReconciliationGapAlert.kind }
            if !gaps.isEmpty { break }
            try await Task.sleep(for: .milliseconds(200))
        }
        let alert = try JSONParser.parse(try #require(gaps.first?.value))
        #expect(gaps.first?.keyText == "reconciliation_gap-month-2026-11-CNY")
        #expect(alert["crm_net"] == .number("17927.50") && alert["finance_booked"] == .number("17287.50"))
        #expect(alert["difference"] == .number("640.00") && alert["share"] == .number("0.037021"))

        // `syncline reconcile`, from the topics, as JSON (the CLI run takes longer than several scheduled runs).
        let json = try HubProcess(["reconcile", "--brokers", app.bootstrapServers, "--root", project.root.path, "--format", "json", "--log-level", "error"])
        #expect(try await json.waitForExit() == 0, "\(json.errors)")
        let report = try JSONParser.parse(json.output.joined(separator: "\n"))
        let rows = report["rows"]?.arrayValue ?? []
        #expect(rows.map { "\($0["period"]?.stringValue ?? "") \($0["currency"]?.stringValue ?? "")" } == ["2026-11 CNY", "2026-11 USD"])
        #expect(rows.first?["difference"] == .number("640.00") && rows.first?["gap"] == .bool(true))
        #expect(rows.last?["difference"] == .number("-15.40") && rows.last?["gap"] == .bool(false))
        let vouchers = rows.first?["vouchers"]?.arrayValue ?? []
        #expect(vouchers.map { $0["voucher_ref"]?.stringValue ?? "" } == ["V2", "V4", "V5"])
        #expect(vouchers.first?["fee"] == .number("20.00") && vouchers.first?["gross"] == .number("5000.00"))

        // Finance's CSV export in place of the topic gives the same CSV report.
        let csvFile = project.root.appendingPathComponent("finance-2026-11.csv")
        let csvText = "voucher reference,booked amount,currency,booked date\n" + Self.bookings.map { "\($0.1),\($0.3),\($0.2),\($0.4)" }.joined(separator: "\n") + "\n"
        try csvText.write(to: csvFile, atomically: true, encoding: .utf8)
        let csv = try HubProcess([
            "reconcile", "--brokers", app.bootstrapServers, "--root", project.root.path, "--finance", csvFile.path, "--format", "csv", "--log-level", "error",
        ])
        #expect(try await csv.waitForExit() == 0, "\(csv.errors)")
        #expect(csv.output.contains("total,2026-11,CNY,,17927.50,17287.50,640.00,0.037021,true,,,"), "\(csv.output)")
        #expect(csv.output.contains("differing,2026-11,USD,V7,4964.60,4980.00,-15.40,,,5000.00,20.00,15.40"), "\(csv.output)")

        // Still exactly one gap alert after many scheduled runs; the admin API lists it for the status page.
        let after = try await HubTestSupport.read(TopicNames.alerts, partitions: 6, config: config)
            .filter { (try? JSONParser.parse($0.value ?? []))?["kind"]?.stringValue == ReconciliationGapAlert.kind }
        #expect(after.count == 1, "\(after.map(\.keyText))")
        let listed = try await HTTPTestClient.call("GET", base + "/api/v1/alerts?limit=20").text
        #expect(listed.contains("reconciliation_gap-month-2026-11-CNY"))
        await app.shutdown()
        try await hub.run.value
    }
}
