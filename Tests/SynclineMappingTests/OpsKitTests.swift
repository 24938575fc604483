import Foundation
import SynclineMapping
import Testing

/// The SRE kit in `ops/`: the Grafana dashboard, the Prometheus alert rules and their runbooks.
/// Checks that they only use metrics the hub exports (`MetricNames`), that every alert links an
/// existing runbook, that the dashboard is importable JSON driven by the `connector` variable,
/// and that `promtool` accepts the rules and their unit tests.
@Suite("OpsKit")
struct OpsKitTests {
    // MARK: - Files

    /// `<repo>`, found from this file's path (`<repo>/Tests/SynclineMappingTests/OpsKitTests.swift`).
    static let repoRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()
        .deletingLastPathComponent()
        .deletingLastPathComponent()

    static let dashboardPath = "ops/grafana/syncline-dashboard.json"
    static let alertsPath = "ops/prometheus/alerts.yml"
    static let alertsTestPath = "ops/prometheus/alerts_test.yml"
    static let prometheusConfigPath = "ops/prometheus/prometheus.yml"
    static let runbooksDirectory = "ops/runbooks"

    static func url(_ relativePath: String) -> URL {
        repoRoot.appendingPathComponent(relativePath)
    }

    static func text(_ relativePath: String) throws -> String {
        do {
            return try String(contentsOf: url(relativePath), encoding: .utf8)
        } catch {
            Issue.record("cannot read \(relativePath): \(error)")
            throw error
        }
    }

    // MARK: - Metric names

    /// Histograms are exported as `<name>_bucket`, `<name>_sum` and `<name>_count`.
    static let histograms: Set<String> = [
        MetricNames.endToEndDelay, MetricNames.upstreamDelay, MetricNames.queueDelay, MetricNames.processingDelay,
    ]
    static let histogramSuffixes = ["_bucket", "_sum", "_count"]

    /// Every `syncline_…` token in a PromQL expression (or any text), in order of appearance.
    static func metricTokens(in text: String) -> [String] {
        text.matches(of: /syncline_[a-z0-9_]+/).map { String($0.output) }
    }

    /// The metric a token names: itself when exported, else the histogram it is a series of.
    static func exportedMetric(for token: String) -> String? {
        let exported = Set(MetricNames.all)
        if exported.contains(token) { return token }
        for suffix in histogramSuffixes where token.hasSuffix(suffix) {
            let base = String(token.dropLast(suffix.count))
            if histograms.contains(base) { return base }
        }
        return nil
    }

    /// Tokens in `text` that are not a metric the hub exports (deduplicated, in order).
    static func unknownMetricNames(in text: String) -> [String] {
        var seen = Set<String>()
        return metricTokens(in: text).filter { exportedMetric(for: $0) == nil && seen.insert($0).inserted }
    }

    // MARK: - Dashboard

    static func dashboard() throws -> [String: Any] {
        let data = try Data(contentsOf: url(dashboardPath))
        let object = try JSONSerialization.jsonObject(with: data)
        return try #require(object as? [String: Any], "\(dashboardPath) is not a JSON object")
    }

    /// Panels, with the panels nested in collapsed rows.
    static func panels(of dashboard: [String: Any]) -> [[String: Any]] {
        let top = dashboard["panels"] as? [[String: Any]] ?? []
        return top.flatMap { [$0] + ($0["panels"] as? [[String: Any]] ?? []) }
    }

    /// Every PromQL expression: panel targets and query variables.
    static func expressions(of dashboard: [String: Any]) -> [(where: String, expr: String)] {
        var result: [(String, String)] = []
        for panel in panels(of: dashboard) {
            let title = panel["title"] as? String ?? "?"
            for target in panel["targets"] as? [[String: Any]] ?? [] {
                if let expr = target["expr"] as? String { result.append(("panel '\(title)'", expr)) }
            }
        }
        let variables = (dashboard["templating"] as? [String: Any])?["list"] as? [[String: Any]] ?? []
        for variable in variables where variable["type"] as? String == "query" {
            let name = variable["name"] as? String ?? "?"
            if let query = variable["query"] as? String { result.append(("variable $\(name)", query)) }
            if let query = (variable["query"] as? [String: Any])?["query"] as? String {
                result.append(("variable $\(name)", query))
            }
            if let definition = variable["definition"] as? String { result.append(("variable $\(name)", definition)) }
        }
        return result
    }

    // MARK: - Alert rules

    struct AlertRule {
        var name: String
        var expr: String
        var labels: [String: String]
        var annotations: [String: String]
    }

    static func stringMap(_ node: ConfigNode?) -> [String: String] {
        guard let node else { return [:] }
        var problems: [ConfigProblem] = []
        var result: [String: String] = [:]
        for (key, value) in node.entries(&problems) ?? [] {
            result[key] = value.string(&problems)
        }
        return result
    }

    static func alertRules() throws -> [AlertRule] {
        let root = try ConfigNode.parse(try text(alertsPath), file: alertsPath)
        var problems: [ConfigProblem] = []
        var rules: [AlertRule] = []
        let groups = try #require(root["groups"]?.list(&problems), "\(alertsPath) has no groups")
        for group in groups {
            for rule in group["rules"]?.list(&problems) ?? [] {
                guard let name = rule["alert"]?.string(&problems) else { continue }  // recording rules
                rules.append(
                    AlertRule(
                        name: name, expr: rule["expr"]?.string(&problems) ?? "",
                        labels: stringMap(rule["labels"]), annotations: stringMap(rule["annotations"])))
            }
        }
        #expect(problems.isEmpty, "\(ConfigProblems(problems))")
        return rules
    }

    /// `SynclineBreakerOpen` → `syncline-breaker-open`.
    static func kebab(_ name: String) -> String {
        var result = ""
        var previous: Character?
        for character in name {
            if character.isUppercase, let previous, previous.isLowercase || previous.isNumber {
                result.append("-")
            }
            result.append(contentsOf: character.lowercased())
            previous = character
        }
        return result
    }

    // MARK: - promtool

    /// `promtool` on `PATH`, if installed.
    static func promtool() -> URL? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = URL(fileURLWithPath: String(directory)).appendingPathComponent("promtool")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return nil
    }

    /// Runs promtool in the repo root; returns its exit status and combined output. Records a
    /// failure (and returns nil) when promtool is not installed.
    static func runPromtool(_ arguments: [String]) throws -> (status: Int32, output: String)? {
        guard let executable = promtool() else {
            Issue.record(
                "promtool is not installed, so ops/prometheus cannot be checked: run `bash ops/setup --test` (installs the Debian package prometheus; CI does this)."
            )
            return nil
        }
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = repoRoot
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    // MARK: - (a) metric names

    @Test func extractorFindsTokensAndRejectsUnknownNames() {
        let expression = """
            sum by (connector) (rate(syncline_records_consumd_total{connector=~"$connector"}[5m]))
            / sum(rate(syncline_end_to_end_delay_seconds_count[5m]))
            + histogram_quantile(0.99, sum by (le) (rate(syncline_hub_queue_delay_seconds_bucket[5m])))
            + syncline_records_consumed_total_sum + syncline_breaker_state + syncline_consumer_lag_seconds_count
            """
        #expect(
            Self.metricTokens(in: expression) == [
                "syncline_records_consumd_total", "syncline_end_to_end_delay_seconds_count",
                "syncline_hub_queue_delay_seconds_bucket", "syncline_records_consumed_total_sum",
                "syncline_breaker_state", "syncline_consumer_lag_seconds_count",
            ])
        // A typo, a histogram suffix on a counter and on a gauge are all unknown.
        #expect(
            Self.unknownMetricNames(in: expression) == [
                "syncline_records_consumd_total", "syncline_records_consumed_total_sum",
                "syncline_consumer_lag_seconds_count",
            ])
        #expect(Self.exportedMetric(for: "syncline_processing_delay_seconds_sum") == MetricNames.processingDelay)
        #expect(Self.unknownMetricNames(in: "max by (connector) (syncline_assigned_partitions) == 0").isEmpty)
        #expect(Self.unknownMetricNames(in: "up{job=\"syncline\"} == 0").isEmpty)
    }

    @Test func dashboardUsesOnlyExportedMetrics() throws {
        let expressions = Self.expressions(of: try Self.dashboard())
        #expect(expressions.count >= 20, "the dashboard has only \(expressions.count) expressions")
        for (location, expr) in expressions {
            let unknown = Self.unknownMetricNames(in: expr)
            #expect(unknown.isEmpty, "\(Self.dashboardPath) \(location) uses metrics the hub does not export: \(unknown)")
        }
        // Everything the hub exports that SREs need is on the dashboard.
        let used = Set(expressions.flatMap { Self.metricTokens(in: $0.expr) }.compactMap(Self.exportedMetric(for:)))
        let missing = Set(MetricNames.all).subtracting(used)
        #expect(missing.isEmpty, "metrics exported but not on the dashboard: \(missing.sorted())")
    }

    @Test func alertRulesUseOnlyExportedMetrics() throws {
        let rules = try Self.alertRules()
        #expect(rules.count >= 7)
        for rule in rules {
            #expect(!Self.metricTokens(in: rule.expr).isEmpty || rule.expr.contains("up{"), "\(rule.name) uses no metric")
            let unknown = Self.unknownMetricNames(in: rule.expr)
            #expect(unknown.isEmpty, "alert \(rule.name) uses metrics the hub does not export: \(unknown)")
        }
        // Comments, annotations and runbooks must not name metrics that do not exist either.
        var documents = [Self.alertsPath, Self.alertsTestPath]
        let runbooks = try FileManager.default.contentsOfDirectory(atPath: Self.url(Self.runbooksDirectory).path)
        documents += runbooks.filter { $0.hasSuffix(".md") }.map { "\(Self.runbooksDirectory)/\($0)" }
        for document in documents {
            let unknown = Self.unknownMetricNames(in: try Self.text(document))
            #expect(unknown.isEmpty, "\(document) names metrics the hub does not export: \(unknown)")
        }
    }

    // MARK: - (b) runbooks

    @Test func everyAlertHasLabelsAnnotationsAndAnExistingRunbook() throws {
        let rules = try Self.alertRules()
        let names = rules.map(\.name)
        #expect(Set(names).count == names.count, "duplicate alert names: \(names)")
        for rule in rules {
            #expect(["critical", "warning", "info"].contains(rule.labels["severity"] ?? ""), "\(rule.name): severity")
            #expect(!(rule.annotations["summary"] ?? "").isEmpty, "\(rule.name): summary")
            #expect(
                (rule.annotations["description"] ?? "").contains("$labels.connector"),
                "\(rule.name): the description should name the connector ({{ $labels.connector }})")
            let runbook = try #require(rule.annotations["runbook_url"], "\(rule.name) has no runbook_url")
            #expect(runbook == "ops/runbooks/\(Self.kebab(rule.name)).md", "\(rule.name): runbook_url \(runbook)")
            #expect(
                FileManager.default.fileExists(atPath: Self.url(runbook).path),
                "\(rule.name): runbook \(runbook) does not exist")
        }
        // No orphan runbooks, and the index lists every one.
        let index = try Self.text("\(Self.runbooksDirectory)/README.md")
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.url(Self.runbooksDirectory).path)
            .filter { $0.hasSuffix(".md") && $0 != "README.md" }
        let expected = Set(rules.map { "\(Self.kebab($0.name)).md" })
        #expect(Set(files) == expected, "runbooks without an alert: \(Set(files).subtracting(expected).sorted())")
        for rule in rules {
            #expect(index.contains("(\(Self.kebab(rule.name)).md)"), "ops/runbooks/README.md does not link \(rule.name)")
        }
    }

    @Test func kebabCase() {
        #expect(Self.kebab("SynclineBreakerOpen") == "syncline-breaker-open")
        #expect(Self.kebab("SynclineDlqRateHigh") == "syncline-dlq-rate-high")
    }

    // MARK: - (c) dashboard

    @Test func dashboardIsImportableAndDrivenByTheConnectorVariable() throws {
        let dashboard = try Self.dashboard()
        #expect(!(dashboard["title"] as? String ?? "").isEmpty)
        #expect(!(dashboard["uid"] as? String ?? "").isEmpty)
        let panels = Self.panels(of: dashboard)
        let content = panels.filter { $0["type"] as? String != "row" }
        #expect(content.count >= 15, "only \(content.count) panels")
        let ids = panels.compactMap { $0["id"] as? Int }
        #expect(ids.count == panels.count && Set(ids).count == ids.count, "panel ids missing or not unique")

        // Data source: the DS_PROMETHEUS input and a data source variable of the same name.
        let inputs = dashboard["__inputs"] as? [[String: Any]] ?? []
        #expect(inputs.contains { $0["name"] as? String == "DS_PROMETHEUS" && $0["pluginId"] as? String == "prometheus" })
        let variables = (dashboard["templating"] as? [String: Any])?["list"] as? [[String: Any]] ?? []
        #expect(variables.contains { $0["name"] as? String == "DS_PROMETHEUS" && $0["type"] as? String == "datasource" })
        for panel in content where panel["targets"] != nil {
            let uid = (panel["datasource"] as? [String: Any])?["uid"] as? String
            #expect(uid == "${DS_PROMETHEUS}", "panel '\(panel["title"] ?? "?")' has data source \(uid ?? "none")")
        }

        // The connector variable.
        let connector = try #require(variables.first { $0["name"] as? String == "connector" }, "no $connector variable")
        let query = (connector["query"] as? [String: Any])?["query"] as? String ?? connector["query"] as? String
        #expect(query == "label_values(\(MetricNames.recordsConsumed), connector)")

        // Every expression over per-connector metrics filters by it.
        let hubWide: Set<String> = [MetricNames.ledgerWriteErrors]
        for (location, expr) in Self.expressions(of: dashboard) where location.hasPrefix("panel") {
            let metrics = Set(Self.metricTokens(in: expr).compactMap(Self.exportedMetric(for:)))
            guard !metrics.subtracting(hubWide).isEmpty else { continue }
            #expect(expr.contains("$connector"), "\(location) does not filter by $connector: \(expr)")
        }

        // The figures the SREs asked for.
        let all = Self.expressions(of: dashboard).map(\.expr)
        let targets = content.flatMap { $0["targets"] as? [[String: Any]] ?? [] }
        #expect(content.contains { $0["type"] as? String == "heatmap" })
        #expect(targets.contains { $0["format"] as? String == "heatmap" && ($0["expr"] as? String ?? "").contains("\(MetricNames.endToEndDelay)_bucket") })
        for quantile in ["0.5", "0.95", "0.99"] {
            #expect(all.contains { $0.contains("histogram_quantile(\(quantile),") && $0.contains(MetricNames.endToEndDelay) })
        }
        #expect(all.contains { $0.contains("increase(\(MetricNames.recordsProduced)") && $0.contains("[24h]") && $0.contains("increase(\(MetricNames.recordsConsumed)") })
        #expect(content.contains { $0["type"] as? String == "state-timeline" && "\($0["targets"] ?? "")".contains(MetricNames.breakerState) })
    }

    // MARK: - (d) promtool

    @Test func promtoolAcceptsTheAlertRules() throws {
        guard let result = try Self.runPromtool(["check", "rules", Self.alertsPath]) else { return }
        #expect(result.status == 0, "promtool check rules \(Self.alertsPath) failed:\n\(result.output)")
    }

    @Test func promtoolUnitTestsOfTheAlertRulesPass() throws {
        // Synthetic series: breaker open > 5 m, success rate < 99% (also for a fan-out connector),
        // delayed share > 1%, lag over 90 s, a connector without partitions.
        guard let result = try Self.runPromtool(["test", "rules", Self.alertsTestPath]) else { return }
        #expect(result.status == 0, "promtool test rules \(Self.alertsTestPath) failed:\n\(result.output)")
    }

    @Test func promtoolAcceptsTheExampleScrapeConfig() throws {
        guard let result = try Self.runPromtool(["check", "config", Self.prometheusConfigPath]) else { return }
        #expect(result.status == 0, "promtool check config \(Self.prometheusConfigPath) failed:\n\(result.output)")
    }
}
