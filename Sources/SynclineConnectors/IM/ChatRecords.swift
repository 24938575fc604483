public import SynclineMapping
public import SynclineStore
import Foundation

/// Builds a conversation's `chat` activity (crm.activities.v1) and its `unlinked_conversation`
/// alert (hub.alerts.v1), and links conversations (external id, then phone).
public struct ChatRecords: Sendable {
    public let activities: CanonicalEncoder
    public let alerts: CanonicalEncoder

    public init(connector: String, mappingVersion: String, catalog: TopicCatalog?) {
        activities = CanonicalEncoder(
            topic: TopicNames.activities, connector: connector, mappingVersion: mappingVersion, catalog: catalog,
            explicitNulls: CanonicalEncoder.activityNulls)
        alerts = CanonicalEncoder(topic: TopicNames.alerts, connector: connector, mappingVersion: mappingVersion, catalog: catalog)
    }

    /// The customer of a conversation: by the external contact's id (WeCom external id or DingTalk
    /// id), then by a phone a message carried.
    public static func link(_ conversation: ChatConversation, linker: CustomerLinker) -> (customerID: String, linkedBy: String)? {
        var identifiers: [CustomerIdentity.Identifier] = []
        if let external = conversation.externalID {
            identifiers.append(.init(conversation.sourceSystem == "dingtalk" ? .dingtalkID : .wecomExternalID, external))
        }
        if let phone = conversation.externalPhone { identifiers.append(.init(.phone, phone)) }
        return linker.link(identifiers).map { ($0.customerID, $0.linkedBy.rawValue) }
    }

    public static func activityID(_ conversation: ChatConversation) -> String { "chat-\(conversation.conversationID)" }
    public static func alertID(_ conversation: ChatConversation) -> String { "unlinked_conversation-\(conversation.conversationID)" }

    static func systemName(_ system: String) -> String { system == "dingtalk" ? "DingTalk" : "WeCom" }

    public func activity(_ conversation: ChatConversation, linker: CustomerLinker) throws(Rejection) -> OutputRecord {
        let participants = conversation.participants
        let other = conversation.roomID.map { "room \($0)" } ?? conversation.externalID ?? participants.filter { $0 != conversation.staffID }.first ?? "staff"
        let id = Self.activityID(conversation)
        let phone = conversation.externalPhone.flatMap(linker.normalisedPhone)
        let members: [String: JSONValue] = [
            "activity_id": .string(id),
            "kind": .string("chat"),
            "source_system": .string(conversation.sourceSystem),
            "customer_id": conversation.customerID.map(JSONValue.string) ?? .null,
            "linked_by": conversation.linkedBy.map(JSONValue.string) ?? .null,
            "staff_id": conversation.staffID.map { .string(String($0.prefix(128))) } ?? .null,
            "contact_phone": phone.map(JSONValue.string) ?? .null,
            "contact_external_id": conversation.externalID.map { .string(String($0.prefix(200))) } ?? .null,
            "subject": .string(String("\(Self.systemName(conversation.sourceSystem)) chat with \(other)".prefix(500))),
            "summary": conversation.summary.isEmpty ? .null : .string(String(conversation.summary.prefix(2_000))),
            "direction": .string(conversation.direction),
            "started_at": .string(UTCTimestamp.format(ms: conversation.startedMs)),
            "ended_at": .string(UTCTimestamp.format(ms: conversation.lastMs)),
            "updated_at": .string(UTCTimestamp.format(ms: conversation.lastMs)),
            "duration_seconds": .number(String((conversation.lastMs - conversation.startedMs) / 1000)),
            "conversation_id": .string(conversation.conversationID),
            "room_id": conversation.roomID.map { .string(String($0.prefix(128))) } ?? .null,
            "message_count": .number(String(conversation.messageCount)),
            "participants": .array(participants.map(JSONValue.string)),
            "event_id": conversation.lastEventID.map { .string(String($0.prefix(128))) } ?? .null,
        ]
        var record = try activities.encode(
            members, key: id, eventID: "\(id)#\(conversation.version)", type: "syncline.im.chat", timeMs: conversation.lastMs)
        record.headers += Self.lineage(conversation)
        return record
    }

    /// The lineage of a conversation's activity: the input topic, the partition and offset of its
    /// latest message, and every input partition's offset range (`syncline-source-offsets`).
    static func lineage(_ conversation: ChatConversation) -> [RecordHeader] {
        guard let topic = conversation.sourceTopic else { return [] }
        var headers = [RecordHeader(HeaderNames.sourceTopic, topic)]
        if let partition = conversation.lastSourcePartition, let offset = conversation.lastSourceOffset {
            headers.append(RecordHeader(HeaderNames.sourcePartition, String(partition)))
            headers.append(RecordHeader(HeaderNames.sourceOffset, String(offset)))
        }
        if !conversation.sourceOffsets.isEmpty {
            headers.append(RecordHeader(HeaderNames.sourceOffsets, conversation.sourceOffsets))
        }
        return headers
    }

    public func alert(_ conversation: ChatConversation, connector: String, nowMs: Int64) throws(Rejection) -> OutputRecord {
        let id = Self.alertID(conversation)
        let minutes = (conversation.lastMs - conversation.startedMs) / 60_000
        let message = "\(Self.systemName(conversation.sourceSystem)) conversation between \(conversation.staffID ?? "a staff member") and external contact \(conversation.externalID ?? "?") "
            + "has lasted \(minutes) min (\(conversation.messageCount) messages) and links to no customer: link the contact to a customer in the CRM."
        let members: [String: JSONValue] = [
            "alert_id": .string(id),
            "kind": .string("unlinked_conversation"),
            "severity": .string("warning"),
            "connector": .string(connector),
            "message": .string(String(message.prefix(1_000))),
            "raised_at": .string(UTCTimestamp.format(ms: nowMs)),
            "activity_id": .string(Self.activityID(conversation)),
            "conversation_id": .string(conversation.conversationID),
            "source_system": .string(conversation.sourceSystem),
            "staff_id": conversation.staffID.map { .string(String($0.prefix(128))) } ?? .null,
            "external_id": conversation.externalID.map { .string(String($0.prefix(200))) } ?? .null,
            "started_at": .string(UTCTimestamp.format(ms: conversation.startedMs)),
            "message_count": .number(String(conversation.messageCount)),
            "duration_seconds": .number(String((conversation.lastMs - conversation.startedMs) / 1000)),
            "event_id": conversation.lastEventID.map { .string(String($0.prefix(128))) } ?? .null,
        ]
        return try alerts.encode(members, key: id, eventID: id, type: "syncline.im.unlinked_conversation", timeMs: conversation.startedMs)
    }
}
