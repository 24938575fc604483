public import SynclineMapping

/// Writes a processor's canonical record: fields in the topic schema's order, checked against the
/// schema (a record that does not conform is a bug in the processor, reported as a `validate`
/// rejection), keyed, with CloudEvents and connector headers — timed outputs do not pass through
/// the runtime's lineage stamper, so they carry their own.
public struct CanonicalEncoder: Sendable {
    public let topic: String
    public let connector: String
    public let mappingVersion: String
    /// Fields written as `null` when absent, because the topic documents them so (an unlinked
    /// activity says `"customer_id": null` rather than leaving the field out).
    public let explicitNulls: [String]
    let validator: SchemaValidator?
    let order: [String]

    public init(topic: String, connector: String, mappingVersion: String, catalog: TopicCatalog?, explicitNulls: [String] = []) {
        self.topic = topic
        self.connector = connector
        self.mappingVersion = mappingVersion
        self.explicitNulls = explicitNulls
        let fields = catalog?[topic]?.schema
        validator = fields.map { SchemaValidator(topic: topic, fields: $0) }
        order = fields?.map(\.name) ?? []
    }

    /// The fields of `crm.activities.v1` that are `null` when the activity links to no customer.
    public static let activityNulls = ["customer_id", "linked_by"]

    /// The record for `members` (null members are left out, except `explicitNulls`), keyed by `key`.
    public func encode(
        _ members: [String: JSONValue], key: String, eventID: String, type: String, timeMs: Int64?
    ) throws(Rejection) -> OutputRecord {
        let present = members.filter { !$0.value.isNull }
        if let issue = validator?.firstIssue(present) {
            throw Rejection(
                stage: .validate, code: issue.code.rawValue, field: issue.field,
                message: "connector \(connector): \(topic): \(issue.reason)")
        }
        var written = present
        for name in explicitNulls where written[name] == nil { written[name] = .null }
        var ordered: [(String, JSONValue)] = []
        var seen = Set<String>()
        for name in order { if let value = written[name] { ordered.append((name, value)); seen.insert(name) } }
        for name in written.keys.sorted() where !seen.contains(name) { ordered.append((name, written[name] ?? .null)) }
        var headers = [
            RecordHeader(HeaderNames.ceSpecVersion, "1.0"),
            RecordHeader(HeaderNames.ceID, eventID),
            RecordHeader(HeaderNames.ceSource, "/syncline/connectors/\(connector)"),
            RecordHeader(HeaderNames.ceType, type),
            RecordHeader(HeaderNames.connector, connector),
            RecordHeader(HeaderNames.mappingVersion, mappingVersion),
        ]
        if let timeMs { headers.append(RecordHeader(HeaderNames.ceTime, UTCTimestamp.format(ms: timeMs))) }
        return OutputRecord(topic: topic, key: Array(key.utf8), value: JSONWriter.bytes(orderedObject: ordered), headers: headers)
    }
}
