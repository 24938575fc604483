import Foundation
import Logging
import SynclineAdmin
import SynclineDemo
import SynclineHub
import Testing

/// The status page in a real browser: the hub runs the shipped connectors on the embedded cluster
/// with demo traffic, headless Chromium (Debian `chromium`, installed by `ops/setup --test`) loads
/// `/`, and the test reads the DOM the page's own script built from the JSON API.
@Suite("Status page in headless Chromium with live demo traffic", .serialized)
struct StatusPageBrowserTests {
    let logger: Logger = {
        var logger = Logger(label: "test")
        logger.logLevel = ProcessInfo.processInfo.environment["SYNCLINE_TEST_LOG"].flatMap(Logger.Level.init(rawValue:)) ?? .error
        return logger
    }()

    /// Where screenshots go: `$SYNCLINE_TEST_OUTPUT`, else `.build/test-output/` in the repository.
    static var outputDirectory: URL {
        if let path = ProcessInfo.processInfo.environment["SYNCLINE_TEST_OUTPUT"], !path.isEmpty { return URL(fileURLWithPath: path) }
        return ProjectFixture.repositoryRoot.appendingPathComponent(".build/test-output")
    }

    @Test("every connector row shows non-zero throughput, the delayed-records tables fill, and a screenshot is saved")
    func liveStatusPage() async throws {
        let chromium = try #require(Chromium.find(), "headless Chromium is needed: run `ops/setup --test` (Debian package chromium)")
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("syncline-status-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: state) }
        var options = HubOptions(root: ProjectFixture.repositoryRoot, stateDirectory: state)
        options.embeddedBrokers = 1
        options.admin = AdminServer.Settings(host: "127.0.0.1", port: 0, token: nil)
        let url = AsyncURLBox()
        let app = try await buildApplication(
            options, logger: logger, onAdminListening: { url.set($0) },
            extraServices: { hub in
                [DemoTrafficService(kafka: hub.kafka, settings: .init(recordsPerSecond: 50), summaryEvery: .seconds(3600), logger: hub.logger)]
            })
        let run = Task { try await app.run() }
        defer { run.cancel() }
        let base = try await url.wait()
        let names = app.runtimes.map(\.spec.name)
        #expect(!names.isEmpty)

        // Poll the page as a browser renders it until every connector is live.
        var page = StatusPageDOM(html: "")
        let deadline = ContinuousClock.now + .seconds(150)
        while ContinuousClock.now < deadline {
            page = StatusPageDOM(html: try await chromium.dumpDOM(base + "/"))
            if page.isLive && names.allSatisfy({ (page.throughput[$0] ?? 0) > 0 }) && page.delayedTableFilled && page.alerts > 0
                && page.assignmentRules > 0 && page.complaintAlerts > 0 { break }
        }
        #expect(page.isLive, "the page never finished a refresh")
        for name in names {
            let rps = page.throughput[name] ?? 0
            #expect(rps > 0, "\(name): throughput \(rps)")
        }
        // im delivers a chat activity only when its conversation closes (after the idle gap), so not
        // every connector has delayed records yet; the table must show the five latest of some.
        #expect(page.delayedTableFilled, "delayed records shown per connector: \(page.delayedRows)")
        #expect(Set(page.delayedRows.keys) == Set(names))
        // Demo calls with strangers raise unlinked_call alerts, which the page reads from /api/v1/alerts.
        #expect(page.alerts > 0, "no alert shown")
        // Issue 17: demo complaints raise customer_complained alerts; the lead-assignment card lists its rules.
        #expect(page.complaintAlerts > 0, "no complaint alert shown")
        #expect(page.assignmentRules > 0, "the lead-assignment card shows no rule")
        // Nested cell content (a lag's "oldest 1.3 s") is rendered as nodes, never stringified.
        #expect(!page.html.contains("[object "), "a cell shows a stringified DOM node")

        let directory = Self.outputDirectory
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let shot = directory.appendingPathComponent("status-page.png")
        try await chromium.screenshot(base + "/", to: shot)
        let size = (try FileManager.default.attributesOfItem(atPath: shot.path)[.size] as? NSNumber)?.intValue ?? 0
        #expect(size > 10_000, "screenshot at \(shot.path) is \(size) bytes")
        FileHandle.standardError.write(Data("status page screenshot: \(shot.path)\n".utf8))

        await app.shutdown()
        try await run.value
    }
}

/// What the test reads back from the rendered page.
struct StatusPageDOM {
    /// The DOM as Chromium rendered it.
    var html: String
    var isLive: Bool
    /// records/s per connector row (`data-rps`).
    var throughput: [String: Double] = [:]
    /// Rows of each connector's delayed-records table.
    var delayedRows: [String: Int] = [:]

    /// At least one connector shows its five latest delayed records, and several connectors show some.
    var delayedTableFilled: Bool {
        delayedRows.values.contains(5) && delayedRows.values.filter { $0 > 0 }.count >= min(3, delayedRows.count)
    }

    /// Alerts listed (from hub.alerts.v1), and among them complaints.
    var alerts = 0
    var complaintAlerts = 0
    /// Rule rows of the lead-assignment card (read from /metrics).
    var assignmentRules = 0

    init(html: String) {
        self.html = html
        isLive = html.contains("data-live=\"true\"")
        alerts = html.components(separatedBy: "class=\"alert-row\"").count - 1
        complaintAlerts = html.components(separatedBy: "data-kind=\"customer_complained\"").count - 1
        assignmentRules = html.components(separatedBy: "class=\"assignment-rule\"").count - 1
        for match in html.matches(of: /data-connector="([^"]+)" data-rps="([0-9.]+)"/) {
            throughput[String(match.1)] = Double(match.2)
        }
        // Each card: <div class="card"><h3>NAME<span>… then its rows until the next card.
        let cards = html.components(separatedBy: "<div class=\"card\"><h3>").dropFirst()
        for card in cards {
            let name = String(card.prefix { $0 != "<" })
            delayedRows[name] = card.components(separatedBy: "class=\"delayed-row\"").count - 1
        }
    }
}

/// Headless Chromium driven from the command line.
struct Chromium {
    let executable: URL

    static func find() -> Chromium? {
        for path in ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]
        where FileManager.default.isExecutableFile(atPath: path) {
            return Chromium(executable: URL(fileURLWithPath: path))
        }
        return nil
    }

    func dumpDOM(_ url: String) async throws -> String {
        try await run(["--dump-dom", url])
    }

    func screenshot(_ url: String, to file: URL) async throws {
        _ = try await run(["--screenshot=\(file.path)", "--window-size=1400,1000", "--hide-scrollbars", url])
    }

    /// Runs Chromium headless with its own profile and a virtual-time budget (the page's first
    /// refresh completes, timers fire), and returns its standard output.
    func run(_ arguments: [String]) async throws -> String {
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent("syncline-chromium-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: profile) }
        let process = Process()
        process.executableURL = executable
        process.arguments = [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--mute-audio",
            "--user-data-dir=\(profile.path)", "--virtual-time-budget=3000", "--timeout=20000",
        ] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        let exited = AsyncURLBox()
        process.terminationHandler = { _ in exited.set("exited") }
        try process.run()
        let data = await Task.detached { output.fileHandleForReading.readDataToEndOfFile() }.value
        _ = try await exited.wait()
        return String(decoding: data, as: UTF8.self)
    }
}
