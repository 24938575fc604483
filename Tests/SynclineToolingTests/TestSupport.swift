import SynclineMapping
import SynclineTestSupport

/// The inline topic and connector the fixture and sample tests run against (shared with the
/// mapping tests through SynclineTestSupport's `InlineProject`).
enum TestSupport {
    static let leadsTopic = InlineProject.leadsTopic

    static func catalog() throws -> TopicCatalog {
        TopicCatalog(topics: [
            try TopicSpecParser.parse(leadsTopic, file: "topics/crm.leads.v1.yaml"),
            TopicSpec(name: "raw.marketing.events.v1", partitions: 3),
            TopicSpec(name: "hub.audit.v1", partitions: 1),
        ])
    }

    static let marketing = InlineProject.marketing

    static func spec(_ text: String, file: String = "connectors/test.yaml") throws -> ConnectorSpec {
        try ConnectorSpecParser.parse(text, file: file)
    }
}
