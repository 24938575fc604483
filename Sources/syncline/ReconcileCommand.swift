import ArgumentParser
import Foundation
import SynclineMapping
import SynclineHub
import SynclineKafka

/// `syncline reconcile`: the CRM's net receipts (crm.payments.v1) against finance's bookings
/// (crm.finance_receipts.v1, or finance's CSV export with `--finance`), per period and currency,
/// matched by voucher reference — as a table, JSON or CSV. Exact decimal arithmetic throughout.
struct ReconcileCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reconcile",
        abstract: "Reconcile CRM net receipts with finance's booked amounts per period and currency (table, JSON or CSV).")

    enum Format: String, ExpressibleByArgument, CaseIterable { case table, json, csv }

    @OptionGroup var common: CommonOptions

    @Option(help: "Bootstrap servers (\(TopicNames.payments), and \(TopicNames.financeReceipts) unless --finance is given).")
    var brokers: String

    @Option(help: "Finance's CSV export (voucher reference, booked amount, currency, booked date) instead of \(TopicNames.financeReceipts).")
    var finance: String?

    @Option(help: "day or month (default month).")
    var period: String = "month"

    @Option(help: "Only this period (YYYY-MM or YYYY-MM-DD).")
    var only: String?

    @Option(help: "The gap threshold, e.g. 0.5% (default: the finance connector's reconcile_threshold, else 0.5%).")
    var threshold: String?

    @Option(help: "table, json or csv.")
    var format: Format = .table

    @Option(help: "The finance connector file for its settings (default: connectors/finance.yaml under --root).")
    var connector: String?

    func run() async throws {
        guard let grain = ReconciliationReport.Period(rawValue: period) else {
            Terminal.complain("syncline reconcile: --period must be day or month")
            throw ExitCode(2)
        }
        var settings = ReconciliationSettings(connector: "finance")
        let file = connector.map { URL(fileURLWithPath: $0) } ?? common.rootURL.appendingPathComponent("connectors/finance.yaml")
        if let spec = try? ConnectorSpecParser.load(file: file) { settings = ReconciliationSettings.read(spec).settings }
        if let threshold {
            guard let value = Reconciler.threshold(threshold) else {
                Terminal.complain("syncline reconcile: --threshold expects a share like 0.5% or 0.005")
                throw ExitCode(2)
            }
            settings.threshold = value
        }
        let catalog = try? TopicCatalog.load(directory: common.rootURL.appendingPathComponent("topics"))
        let source = ReconciliationSource(config: KafkaConfig(bootstrapServers: brokers), catalog: catalog, logger: common.makeLogger())
        var entries = try await BlockingThread.run { [settings] in try source.crmPayments(utcOffsetMinutes: settings.utcOffsetMinutes) }
        if let finance {
            guard let data = FileManager.default.contents(atPath: finance) else {
                Terminal.complain("syncline reconcile: cannot read \(finance)")
                throw ExitCode(2)
            }
            let (bookings, problems) = FinanceCSV.read(Array(data))
            for problem in problems { Terminal.complain("syncline reconcile: \(finance): \(problem)") }
            if bookings.isEmpty && !problems.isEmpty { throw ExitCode(2) }
            entries += bookings
        } else {
            entries += try await BlockingThread.run { try source.financeBookings() }
        }
        if let only { entries = entries.filter { $0.day.hasPrefix(only) } }
        let report: ReconciliationReport
        do {
            report = try Reconciler.reconcile(entries, period: grain, threshold: settings.threshold)
        } catch {
            Terminal.complain("syncline reconcile: the totals overflow exact 64-bit decimals (\(error)); reconcile a shorter period with --only")
            throw ExitCode(1)
        }
        switch format {
        case .table: for line in ReconciliationFormat.table(report) { Terminal.say(line) }
        case .json: Terminal.say(ReconciliationFormat.json(report).jsonText)
        case .csv: for line in ReconciliationFormat.csv(report) { Terminal.say(line) }
        }
    }
}
