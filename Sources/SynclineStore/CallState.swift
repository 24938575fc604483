public import GRDB

/// One phone call as the telephony processor keeps it while its statuses arrive: the merged
/// canonical activity so far (a JSON object text) and which event raised its alert, if any.
public struct CallState: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "call_states"

    /// `<system>:<call id>` (`twilio:CA…`, `asterisk:1715…`).
    public var callKey: String
    /// The merged `crm.activities.v1` record so far, as JSON object text.
    public var activity: String
    /// Upstream event ids already folded in, as a JSON array text (a redelivery changes nothing).
    public var events: String
    /// The event whose processing raised the `unlinked_call` alert (nil: none raised).
    public var alertEventID: String?
    public var updatedMs: Int64
    /// The input partition whose state this is (its changelog partition); -1 before state moved with partitions.
    public var statePartition: Int32

    enum CodingKeys: String, CodingKey {
        case callKey = "call_key", activity, events, alertEventID = "alert_event_id", updatedMs = "updated_ms"
        case statePartition = "state_partition"
    }

    public init(
        callKey: String, activity: String, events: String = "[]", alertEventID: String? = nil, updatedMs: Int64,
        statePartition: Int32 = -1
    ) {
        self.callKey = callKey
        self.activity = activity
        self.events = events
        self.alertEventID = alertEventID
        self.updatedMs = updatedMs
        self.statePartition = statePartition
    }
}
