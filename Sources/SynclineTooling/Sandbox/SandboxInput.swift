public import SynclineMapping

/// One real record a sandbox run feeds to both mappings, with how to name it in the report
/// (`raw.marketing.events.v1[3]@120`, or the sample file it came from).
public struct SandboxInput: Sendable {
    public var label: String
    public var record: InputRecord

    public init(label: String, record: InputRecord) {
        self.label = label
        self.record = record
    }

    public init(_ record: InputRecord) {
        self.init(label: record.coordinates, record: record)
    }
}
