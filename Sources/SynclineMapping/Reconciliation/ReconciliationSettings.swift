/// The reconciliation's settings, read from the finance connector (the one whose routes write
/// crm.finance_receipts.v1): `processor_options.reconcile_threshold` (a share, `0.5%` by default),
/// `processor_options.reconcile_every` (the scheduled run's interval, 10 minutes by default), and
/// `defaults.timezone` (a fixed offset: the local day a CRM payment's `received_at` falls in).
public struct ReconciliationSettings: Sendable, Equatable {
    public var connector: String
    public var threshold: ExactDecimal
    public var everyMs: Int64
    public var utcOffsetMinutes: Int

    public static let defaultThreshold = ExactDecimal(significand: 5, scale: 3)
    public static let options: Set<String> = ["reconcile_threshold", "reconcile_every"]

    public init(connector: String, threshold: ExactDecimal = defaultThreshold, everyMs: Int64 = 600_000, utcOffsetMinutes: Int = 0) {
        self.connector = connector
        self.threshold = threshold
        self.everyMs = everyMs
        self.utcOffsetMinutes = utcOffsetMinutes
    }

    /// True for the connector that feeds finance's side.
    public static func isFinance(_ spec: ConnectorSpec) -> Bool {
        spec.routes.contains { $0.topic == TopicNames.financeReceipts }
    }

    /// The settings, and a problem for each malformed or unknown option.
    public static func read(_ spec: ConnectorSpec) -> (settings: ReconciliationSettings, problems: [ConfigProblem]) {
        var settings = ReconciliationSettings(connector: spec.name)
        var problems: [ConfigProblem] = []
        func problem(_ key: String, _ message: String) {
            problems.append(ConfigProblem(file: spec.file, field: "processor_options.\(key)", message: message, connector: spec.name))
        }
        for key in spec.processorOptions.keys.sorted() where !options.contains(key) {
            problem(key, "unknown option (known: \(options.sorted().joined(separator: ", ")))")
        }
        if let option = spec.processorOptions["reconcile_threshold"] {
            if let text = option.stringValue ?? option.numberText, let value = Reconciler.threshold(text) {
                settings.threshold = value
            } else {
                problem("reconcile_threshold", "expected a share like 0.5% or 0.005 (found \(option.shortDisplay))")
            }
        }
        if let option = spec.processorOptions["reconcile_every"] {
            if let text = option.stringValue, let ms = DurationText.milliseconds(text), ms > 0 {
                settings.everyMs = ms
            } else if let text = option.numberText, let seconds = Double(text), seconds > 0 {
                settings.everyMs = Int64(seconds * 1000)
            } else {
                problem("reconcile_every", "expected a duration like 10m or 1h (found \(option.shortDisplay))")
            }
        }
        settings.utcOffsetMinutes = AssignmentRulesParser.utcOffsetMinutes(spec.defaults.timezone) ?? 0
        return (settings, problems)
    }
}
