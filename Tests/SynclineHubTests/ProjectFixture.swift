import Foundation

/// A temporary project root with the shipped topics/ and the given connector files.
struct ProjectFixture {
    let root: URL

    static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    init(connectors: [String: String], extraTopics: [String: String] = [:]) throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("syncline-test-\(UUID().uuidString)")
        let fm = FileManager.default
        try fm.createDirectory(at: root.appendingPathComponent("connectors"), withIntermediateDirectories: true)
        try fm.copyItem(at: Self.repositoryRoot.appendingPathComponent("topics"), to: root.appendingPathComponent("topics"))
        for (name, text) in extraTopics {
            try text.write(to: root.appendingPathComponent("topics/\(name)"), atomically: true, encoding: .utf8)
        }
        for (name, text) in connectors {
            try text.write(to: root.appendingPathComponent("connectors/\(name)"), atomically: true, encoding: .utf8)
        }
    }

    var state: URL { root.appendingPathComponent("state") }

    /// A canonical test topic of our own, so these tests do not depend on the shipped schemas.
    static let testLeadsTopic = """
        name: crm.testleads.v1
        description: leads for the mapping end-to-end tests
        partitions: 12
        key: lead_id
        format: json
        schema:
          lead_id: {type: string, required: true, description: the upstream event id}
          phone: {type: phone, required: true, description: E.164}
          amount: {type: decimal, scale: 2, description: an amount}
          occurred_at: {type: timestamp, required: true, description: when it happened upstream}
        """

    /// A mapping connector from raw marketing events to crm.testleads.v1.
    static let signup = """
        name: signup
        version: "t-1"
        input:
          topics: [raw.marketing.events.v1]
          format: json
        event_id: event_id
        source_timestamp: occurred_at
        dlq: hub.dlq.marketing.v1
        routes:
          - name: lead
            topic: crm.testleads.v1
            key: lead_id
            fields:
              lead_id: event_id
              phone: [fields.手机, fields.phone]
              amount: {from: amount}
              occurred_at: occurred_at
        """

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
