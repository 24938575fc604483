public import GRDB

/// One phone call as the telephony processor keeps it while its statuses arrive: the merged
/// canonical activity so far (a JSON object text) and which event raised its alert, if any.
/// Also the value of its `hub.state.telephony.v1` record (`StateChangelog`).
public struct CallState: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "call_states"

    /// `<system>:<call id>` (`twilio:CA…`, `asterisk:1715…`).
    public var callKey: String
    /// The merged `crm.activities.v1` record so far, as JSON object text.
    public var activity: String
    /// Upstream event ids already folded in (a redelivery changes nothing); a JSON column.
    public var events: [String]
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
        callKey: String, activity: String, events: [String] = [], alertEventID: String? = nil, updatedMs: Int64,
        statePartition: Int32 = -1
    ) {
        self.callKey = callKey
        self.activity = activity
        self.events = events
        self.alertEventID = alertEventID
        self.updatedMs = updatedMs
        self.statePartition = statePartition
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        callKey = try container.decode(String.self, forKey: .callKey)
        activity = try container.decode(String.self, forKey: .activity)
        events = try container.decodeList(forKey: .events)
        alertEventID = try container.decodeIfPresent(String.self, forKey: .alertEventID)
        updatedMs = try container.decode(Int64.self, forKey: .updatedMs)
        statePartition = try container.decode(Int32.self, forKey: .statePartition)
    }

    /// Events are a JSON column in the store and JSON text in the changelog (`StateChangelog`).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(callKey, forKey: .callKey)
        try container.encode(activity, forKey: .activity)
        try container.encodeList(events, forKey: .events, asText: encoder.writesListsAsText)
        try container.encodeIfPresent(alertEventID, forKey: .alertEventID)
        try container.encode(updatedMs, forKey: .updatedMs)
        try container.encode(statePartition, forKey: .statePartition)
    }
}
