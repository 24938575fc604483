public import SynclineMapping

/// The first loop of a stateful connector: copies each decoded raw record, bytes and upstream
/// headers unchanged, to `hub.repartition.<connector>.v1` keyed by the state's key (chat thread,
/// call), so records that belong together meet on one partition of the stateful loop. The lineage
/// stamped on the copy names the raw topic, partition and offset. A record `stateKey` returns nil
/// for (a WeCom recall) needs no state and is done; one it rejects goes to the DLQ as usual.
public struct RekeyStage: RecordStage {
    public let name = "rekey"
    public let topic: String
    /// The state key and, when the key function knows a better one, the event id to carry as `ce_id`.
    let stateKey: @Sendable (RecordContext) throws(Rejection) -> (key: String, eventID: String?)?

    public init(topic: String, stateKey: @escaping @Sendable (RecordContext) throws(Rejection) -> (key: String, eventID: String?)?) {
        self.topic = topic
        self.stateKey = stateKey
    }

    public func process(_ context: inout RecordContext) throws(Rejection) {
        guard let keyed = try stateKey(context) else { return }
        if let eventID = keyed.eventID { context.eventID = eventID }
        context.routes = ["rekey"]
        let upstream = context.input.headers.filter { !HeaderNames.lineage.contains($0.name) }
        context.outputs.append(OutputRecord(
            topic: topic, key: Array(keyed.key.utf8), value: context.input.value, headers: upstream))
    }
}
