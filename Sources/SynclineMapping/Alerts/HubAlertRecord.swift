/// The hub.alerts.v1 record of an alert the hub raises itself (`input_expired`, `poison_pill`,
/// `payload_missing`, `customer_complained`, `reconciliation_gap`): the JSON members in order, keyed by alert id, with CloudEvents headers of
/// type `syncline.hub.<kind>` — one shape for every such alert.
public enum HubAlertRecord {
    public static func make(alertID: String, kind: String, connector: String, raisedAtMs: Int64, members: [(String, JSONValue)]) -> OutputRecord {
        OutputRecord(
            topic: TopicNames.alerts, key: Array(alertID.utf8), value: JSONWriter.bytes(orderedObject: members),
            headers: [
                RecordHeader(HeaderNames.ceSpecVersion, "1.0"), RecordHeader(HeaderNames.ceID, alertID),
                RecordHeader(HeaderNames.ceSource, "/syncline/connectors/\(connector)"),
                RecordHeader(HeaderNames.ceType, "syncline.hub.\(kind)"),
                RecordHeader(HeaderNames.ceTime, UTCTimestamp.format(ms: raisedAtMs)),
                RecordHeader(HeaderNames.connector, connector),
            ])
    }
}
