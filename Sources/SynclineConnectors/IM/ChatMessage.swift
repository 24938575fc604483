/// One chat message, whichever upstream sent it, as the im processor groups it.
public struct ChatMessage: Sendable, Equatable {
    /// `wecom` or `dingtalk` (the `source_system` of the activity).
    public var sourceSystem: String
    /// Unique per upstream message (WeCom msgid; DingTalk msgId, the ce_id header, or derived).
    public var messageID: String
    /// What groups this message with others: the room, or the staff/external pair.
    public var threadKey: String
    public var sender: String
    public var senderIsStaff: Bool
    /// Everyone who wrote or was addressed, sender first.
    public var participants: [String]
    public var staffID: String?
    public var externalID: String?
    public var roomID: String?
    /// A phone of the external contact, when the message carried one (as written).
    public var phone: String?
    public var atMs: Int64
    /// The text, or a placeholder such as `[image]` for other message types.
    public var text: String
    /// Where the message was read: the raw topic, partition and offset (through a repartition
    /// topic, the raw record's own, from its lineage headers). Set by the stage, not the parser.
    public var sourceTopic: String? = nil
    public var sourcePartition: Int32 = -1
    public var sourceOffset: Int64 = -1
}
