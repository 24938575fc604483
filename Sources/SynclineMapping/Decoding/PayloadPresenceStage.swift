/// The first stage of a connector that does not decode (plain routes): a record with no value
/// (a tombstone) or an empty one is rejected at `decode` with `payload_missing`, never passed on or
/// dropped, unless the connector declares `input.tombstones: forward` (then only null values pass).
/// `DecodeStage` applies the same rule through `rejection(for:)` before it decodes.
public struct PayloadPresenceStage: RecordStage {
    public let name = "payload"
    public let connector: String
    public let tombstones: TombstonePolicy

    public init(connector: String, tombstones: TombstonePolicy = .dlq) {
        self.connector = connector
        self.tombstones = tombstones
    }

    public init(spec: ConnectorSpec) {
        self.init(connector: spec.name, tombstones: spec.tombstones)
    }

    public func process(_ context: inout RecordContext) throws(Rejection) {
        if context.input.value == nil, tombstones == .forward { return }
        if let rejection = Self.rejection(for: context.input.value, connector: connector, needs: "a payload") { throw rejection }
    }

    /// `payload_missing` for a null or empty value; nil when there are bytes to read.
    public static func rejection(for value: [UInt8]?, connector: String, needs: String) -> Rejection? {
        let reason: String
        switch value {
        case nil: reason = "the record has no value (a tombstone; null value); \(needs) is required"
        case let bytes? where bytes.isEmpty: reason = "the record's value is empty (0 bytes); \(needs) is required"
        default: return nil
        }
        return Rejection(stage: .decode, code: ErrorCode.payloadMissing.rawValue, message: "connector \(connector): \(reason)")
    }
}
