import Foundation
import Logging
import SynclineAdmin
import SynclineHub
import Testing

/// The lineage page in a real browser: the hub runs the shipped connectors on the embedded cluster
/// with demo traffic, headless Chromium loads `/lineage`, and the test reads the rendered SVG: every
/// connector and declared topic drawn, live rates on the connectors' input edges, a screenshot saved.
@Suite("Lineage page in headless Chromium with live demo traffic", .serialized)
struct LineagePageBrowserTests {
    @Test("every connector and topic is drawn, the input edges carry live rates and the DLQ edges live shares; a screenshot is saved")
    func liveLineagePage() async throws {
        let chromium = try #require(Chromium.find(), "headless Chromium is needed: run `ops/setup --test` (Debian package chromium)")
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("syncline-lineage-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: state) }
        var options = HubOptions(root: ProjectFixture.repositoryRoot, stateDirectory: state)
        options.embeddedBrokers = 1
        options.admin = AdminServer.Settings(host: "127.0.0.1", port: 0, token: nil)
        let url = AsyncURLBox()
        let app = try await buildApplication(
            options, logger: HubTestSupport.logger, onAdminListening: { url.set($0) },
            demo: DemoOptions(traffic: .init(recordsPerSecond: 50), summaryEvery: .seconds(3600)))
        let run = Task { try await app.run() }
        defer { run.cancel() }
        let base = try await url.wait()
        let connectors = Set(app.runtimes.map(\.spec.name).filter { !$0.hasSuffix("-rekey") })

        // Poll the page as the browser renders it until every connector has consumed records.
        var dom = ""
        var shares: [String: Int] = [:]
        let deadline = ContinuousClock.now + .seconds(120)
        while ContinuousClock.now < deadline {
            dom = try await chromium.dumpDOM(base + "/lineage")
            shares = [:]
            for match in dom.matches(of: /data-from="connector_([^"]+)" data-to="[^"]+" data-label="dlq"[^>]*><title>dlq · [0-9.]+% of ([0-9]+)</) {
                shares[String(match.1)] = Int(match.2) ?? 0
            }
            if shares.count == connectors.count && shares.values.allSatisfy({ $0 > 0 }) { break }
        }
        #expect(dom.contains("<svg"), "no SVG in the rendered page")
        for name in connectors { #expect(dom.contains("id=\"connector_\(name)\""), "connector \(name) not drawn") }
        for topic in app.catalog.topics { #expect(dom.contains(">\(topic.name)</text>"), "topic \(topic.name) not drawn") }
        #expect(shares.count == connectors.count && shares.values.allSatisfy { $0 > 0 }, "DLQ edges with live shares: \(shares)")
        #expect(dom.matches(of: /reads · [0-9.]+ rec\/s/).count >= connectors.count, "input edges with live rates")

        let directory = StatusPageBrowserTests.outputDirectory
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let shot = directory.appendingPathComponent("lineage-page.png")
        try await chromium.screenshot(base + "/lineage", to: shot)
        let size = (try FileManager.default.attributesOfItem(atPath: shot.path)[.size] as? NSNumber)?.intValue ?? 0
        #expect(size > 10_000, "screenshot at \(shot.path) is \(size) bytes")
        FileHandle.standardError.write(Data("lineage page screenshot: \(shot.path)\n".utf8))

        await app.shutdown()
        try await run.value
    }
}
