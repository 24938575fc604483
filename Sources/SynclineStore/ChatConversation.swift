public import GRDB

/// One IM conversation as the im processor keeps it between messages: who talks, when it started
/// and last moved, what was said first, which customer it links to, and what has been emitted.
/// `version` grows with every change, so an acknowledgement of an older emission does not mark a
/// newer state as emitted. Also the conversation in its `hub.state.im.v1` record (`StateChangelog`).
public struct ChatConversation: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "chat_conversations"

    public var conversationID: String
    /// What groups messages: `wecom:room:<roomid>`, `wecom:<staff>|<external>`, `dingtalk:<conversationId>`.
    public var threadKey: String
    public var sourceSystem: String
    public var staffID: String?
    public var externalID: String?
    public var roomID: String?
    /// A phone number of the external contact, when a message carried one (E.164).
    public var externalPhone: String?
    public var startedMs: Int64
    public var lastMs: Int64
    /// When the hub last absorbed a message of it (wall clock), so a backlog is not cut into pieces.
    public var lastIngestMs: Int64
    public var messageCount: Int
    /// Participant ids in order of first appearance; a JSON column.
    public var participants: [String]
    public var summary: String
    public var summaryLines: Int
    public var direction: String
    public var customerID: String?
    public var linkedBy: String?
    public var lastEventID: String?
    public var closed: Bool
    public var version: Int
    /// The version whose activity the brokers acknowledged (0: none).
    public var emittedVersion: Int
    public var alerted: Bool
    /// The input topic of its messages (the upstream's raw topic), for the activity's lineage.
    public var sourceTopic: String?
    /// Input offsets of its messages, `partition:first-last` per partition (`SourceOffsetRanges`).
    public var sourceOffsets: String
    /// Where its latest message came from (partition and offset of `sourceTopic`).
    public var lastSourcePartition: Int32?
    public var lastSourceOffset: Int64?
    /// The input partition whose state this is (its changelog partition); -1 before state moved with partitions.
    public var statePartition: Int32

    enum CodingKeys: String, CodingKey {
        case conversationID = "conversation_id", threadKey = "thread_key", sourceSystem = "source_system"
        case staffID = "staff_id", externalID = "external_id", roomID = "room_id", externalPhone = "external_phone"
        case startedMs = "started_ms", lastMs = "last_ms", lastIngestMs = "last_ingest_ms", messageCount = "message_count"
        case participants, summary, summaryLines = "summary_lines", direction, customerID = "customer_id"
        case linkedBy = "linked_by", lastEventID = "last_event_id", closed, version, emittedVersion = "emitted_version", alerted
        case sourceTopic = "source_topic", sourceOffsets = "source_offsets", lastSourcePartition = "last_source_partition"
        case lastSourceOffset = "last_source_offset", statePartition = "state_partition"
    }

    public init(
        conversationID: String, threadKey: String, sourceSystem: String, staffID: String? = nil, externalID: String? = nil,
        roomID: String? = nil, externalPhone: String? = nil, startedMs: Int64, lastMs: Int64, lastIngestMs: Int64,
        messageCount: Int = 0, participants: [String] = [], summary: String = "", summaryLines: Int = 0,
        direction: String = "internal", customerID: String? = nil, linkedBy: String? = nil, lastEventID: String? = nil,
        closed: Bool = false, version: Int = 1, emittedVersion: Int = 0, alerted: Bool = false,
        sourceTopic: String? = nil, sourceOffsets: String = "", lastSourcePartition: Int32? = nil, lastSourceOffset: Int64? = nil,
        statePartition: Int32 = -1
    ) {
        self.conversationID = conversationID
        self.threadKey = threadKey
        self.sourceSystem = sourceSystem
        self.staffID = staffID
        self.externalID = externalID
        self.roomID = roomID
        self.externalPhone = externalPhone
        self.startedMs = startedMs
        self.lastMs = lastMs
        self.lastIngestMs = lastIngestMs
        self.messageCount = messageCount
        self.participants = participants
        self.summary = summary
        self.summaryLines = summaryLines
        self.direction = direction
        self.customerID = customerID
        self.linkedBy = linkedBy
        self.lastEventID = lastEventID
        self.closed = closed
        self.version = version
        self.emittedVersion = emittedVersion
        self.alerted = alerted
        self.sourceTopic = sourceTopic
        self.sourceOffsets = sourceOffsets
        self.lastSourcePartition = lastSourcePartition
        self.lastSourceOffset = lastSourceOffset
        self.statePartition = statePartition
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        conversationID = try container.decode(String.self, forKey: .conversationID)
        threadKey = try container.decode(String.self, forKey: .threadKey)
        sourceSystem = try container.decode(String.self, forKey: .sourceSystem)
        staffID = try container.decodeIfPresent(String.self, forKey: .staffID)
        externalID = try container.decodeIfPresent(String.self, forKey: .externalID)
        roomID = try container.decodeIfPresent(String.self, forKey: .roomID)
        externalPhone = try container.decodeIfPresent(String.self, forKey: .externalPhone)
        startedMs = try container.decode(Int64.self, forKey: .startedMs)
        lastMs = try container.decode(Int64.self, forKey: .lastMs)
        lastIngestMs = try container.decode(Int64.self, forKey: .lastIngestMs)
        messageCount = try container.decode(Int.self, forKey: .messageCount)
        participants = try container.decodeList(forKey: .participants)
        summary = try container.decode(String.self, forKey: .summary)
        summaryLines = try container.decode(Int.self, forKey: .summaryLines)
        direction = try container.decode(String.self, forKey: .direction)
        customerID = try container.decodeIfPresent(String.self, forKey: .customerID)
        linkedBy = try container.decodeIfPresent(String.self, forKey: .linkedBy)
        lastEventID = try container.decodeIfPresent(String.self, forKey: .lastEventID)
        closed = try container.decode(Bool.self, forKey: .closed)
        version = try container.decode(Int.self, forKey: .version)
        emittedVersion = try container.decode(Int.self, forKey: .emittedVersion)
        alerted = try container.decode(Bool.self, forKey: .alerted)
        sourceTopic = try container.decodeIfPresent(String.self, forKey: .sourceTopic)
        sourceOffsets = try container.decode(String.self, forKey: .sourceOffsets)
        lastSourcePartition = try container.decodeIfPresent(Int32.self, forKey: .lastSourcePartition)
        lastSourceOffset = try container.decodeIfPresent(Int64.self, forKey: .lastSourceOffset)
        statePartition = try container.decode(Int32.self, forKey: .statePartition)
    }

    /// Participants are a JSON column in the store and JSON text in the changelog (`StateChangelog`).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(conversationID, forKey: .conversationID)
        try container.encode(threadKey, forKey: .threadKey)
        try container.encode(sourceSystem, forKey: .sourceSystem)
        try container.encodeIfPresent(staffID, forKey: .staffID)
        try container.encodeIfPresent(externalID, forKey: .externalID)
        try container.encodeIfPresent(roomID, forKey: .roomID)
        try container.encodeIfPresent(externalPhone, forKey: .externalPhone)
        try container.encode(startedMs, forKey: .startedMs)
        try container.encode(lastMs, forKey: .lastMs)
        try container.encode(lastIngestMs, forKey: .lastIngestMs)
        try container.encode(messageCount, forKey: .messageCount)
        try container.encodeList(participants, forKey: .participants, asText: encoder.writesListsAsText)
        try container.encode(summary, forKey: .summary)
        try container.encode(summaryLines, forKey: .summaryLines)
        try container.encode(direction, forKey: .direction)
        try container.encodeIfPresent(customerID, forKey: .customerID)
        try container.encodeIfPresent(linkedBy, forKey: .linkedBy)
        try container.encodeIfPresent(lastEventID, forKey: .lastEventID)
        try container.encode(closed, forKey: .closed)
        try container.encode(version, forKey: .version)
        try container.encode(emittedVersion, forKey: .emittedVersion)
        try container.encode(alerted, forKey: .alerted)
        try container.encodeIfPresent(sourceTopic, forKey: .sourceTopic)
        try container.encode(sourceOffsets, forKey: .sourceOffsets)
        try container.encodeIfPresent(lastSourcePartition, forKey: .lastSourcePartition)
        try container.encodeIfPresent(lastSourceOffset, forKey: .lastSourceOffset)
        try container.encode(statePartition, forKey: .statePartition)
    }
}
