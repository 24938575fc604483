public import SynclineRecords
import Foundation

/// One record the demo publishes, with what the generator meant by it, so tests and the console
/// can count shapes and shares without parsing the bytes again.
public struct DemoRecord: Sendable {
    /// The upstream shape, e.g. `wecom_message`, `twilio_callback`, `paypal_capture`.
    public var shape: String
    /// The connector that reads it (`customers` for the CRM changelog, which the hub indexes).
    public var connector: String
    public var topic: String
    public var key: String
    public var value: [UInt8]
    public var headers: [RecordHeader]
    /// The record is deliberately broken: it should end in the connector's DLQ.
    public var invalid: Bool
    /// The record's source time lies more than the 90 s SLO in the past: it should be flagged delayed.
    public var late: Bool
    /// A chat or call with someone no customer has (an unlinked activity, and an alert).
    public var stranger: Bool
    /// Upstream occurrence time in ms since the epoch.
    public var sourceMs: Int64

    public init(
        shape: String, connector: String, topic: String, key: String, value: [UInt8], headers: [RecordHeader] = [],
        invalid: Bool = false, late: Bool = false, stranger: Bool = false, sourceMs: Int64
    ) {
        self.shape = shape
        self.connector = connector
        self.topic = topic
        self.key = key
        self.value = value
        self.headers = headers
        self.invalid = invalid
        self.late = late
        self.stranger = stranger
        self.sourceMs = sourceMs
    }

    /// The record as the producer sends it.
    public var output: OutputRecord {
        OutputRecord(topic: topic, key: Array(key.utf8), value: value, headers: headers)
    }

    /// The value as text (for tests and debugging).
    public var text: String { String(decoding: value, as: UTF8.self) }
}
