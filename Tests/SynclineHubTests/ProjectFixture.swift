import Foundation

/// A temporary project root with the shipped topics/ and the given connector files.
struct ProjectFixture {
    let root: URL

    static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    init(connectors: [String: String]) throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("syncline-test-\(UUID().uuidString)")
        let fm = FileManager.default
        try fm.createDirectory(at: root.appendingPathComponent("connectors"), withIntermediateDirectories: true)
        try fm.copyItem(at: Self.repositoryRoot.appendingPathComponent("topics"), to: root.appendingPathComponent("topics"))
        for (name, text) in connectors {
            try text.write(to: root.appendingPathComponent("connectors/\(name)"), atomically: true, encoding: .utf8)
        }
    }

    var state: URL { root.appendingPathComponent("state") }

    static let mirror = """
        name: mirror
        description: copies raw marketing events unchanged (test)
        input:
          topics: [raw.marketing.events.v1]
        dlq: hub.dlq.marketing.v1
        routes:
          - name: all
            topic: crm.leads.v1
        """
}
