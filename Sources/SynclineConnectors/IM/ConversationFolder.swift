public import SynclineStore
import Foundation

/// Folds one chat message into its thread's conversations: extends the open one, ends it and starts
/// a new one when the message comes after the idle gap, or reopens the latest closed one when a
/// late message still falls within its gap (its activity is then emitted again, same id, with the
/// new count). Pure: the store runs it inside its transaction.
public struct ConversationFolder: Sendable {
    public let settings: IMSettings

    public init(settings: IMSettings) {
        self.settings = settings
    }

    /// The conversations to save after absorbing `message` at wall-clock time `nowMs`.
    public func fold(
        _ message: ChatMessage, eventID: String?, open: ChatConversation?, latestClosed: ChatConversation?, nowMs: Int64,
        link: (ChatConversation) -> (customerID: String, linkedBy: String)?
    ) -> [ChatConversation] {
        var saved: [ChatConversation] = []
        var target: ChatConversation
        if var current = open {
            if message.atMs - current.lastMs > settings.idleGapMs {
                current.closed = true
                current.version += 1
                saved.append(current)
                target = start(message, nowMs: nowMs)
            } else {
                target = current
            }
        } else if var previous = latestClosed, message.atMs <= previous.lastMs + settings.idleGapMs,
            message.atMs >= previous.startedMs - settings.idleGapMs
        {
            previous.closed = false
            target = previous
        } else {
            target = start(message, nowMs: nowMs)
        }
        absorb(message, eventID: eventID, into: &target, nowMs: nowMs)
        if target.customerID == nil, target.externalID != nil || target.externalPhone != nil, let match = link(target) {
            target.customerID = match.customerID
            target.linkedBy = match.linkedBy
        }
        saved.append(target)
        return saved
    }

    func start(_ message: ChatMessage, nowMs: Int64) -> ChatConversation {
        let direction: String
        if !message.senderIsStaff {
            direction = "inbound"
        } else if message.externalID != nil {
            direction = "outbound"
        } else {
            direction = "internal"
        }
        return ChatConversation(
            conversationID: Self.conversationID(thread: message.threadKey, startMs: message.atMs), threadKey: message.threadKey,
            sourceSystem: message.sourceSystem, startedMs: message.atMs, lastMs: message.atMs, lastIngestMs: nowMs,
            direction: direction, version: 0)
    }

    func absorb(_ message: ChatMessage, eventID: String?, into conversation: inout ChatConversation, nowMs: Int64) {
        conversation.messageCount += 1
        conversation.startedMs = min(conversation.startedMs, message.atMs)
        conversation.lastMs = max(conversation.lastMs, message.atMs)
        conversation.lastIngestMs = nowMs
        conversation.staffID = conversation.staffID ?? message.staffID
        conversation.externalID = conversation.externalID ?? message.externalID
        conversation.roomID = conversation.roomID ?? message.roomID
        conversation.externalPhone = conversation.externalPhone ?? message.phone
        // "Who wrote first": a conversation staff started is outbound once an external contact is in
        // it (a DingTalk staff message names no external party, so that is only known later).
        if conversation.direction == "internal", message.externalID != nil {
            conversation.direction = "outbound"
        }
        for id in message.participants where !conversation.participants.contains(id) { conversation.participants.append(id) }
        if conversation.summaryLines < settings.summaryLines {
            let line = "\(message.sender): " + message.text.split(whereSeparator: \.isNewline).joined(separator: " ")
            var summary = conversation.summary.isEmpty ? line : conversation.summary + "\n" + line
            conversation.summaryLines += 1
            if summary.count > settings.summaryMaxChars {
                summary = String(summary.prefix(max(1, settings.summaryMaxChars - 1))) + "…"
                conversation.summaryLines = settings.summaryLines
            }
            conversation.summary = summary
        }
        if let topic = message.sourceTopic, message.sourceOffset >= 0 {
            var ranges = SourceOffsetRanges(text: conversation.sourceOffsets)
            ranges.include(partition: message.sourcePartition, offset: message.sourceOffset)
            conversation.sourceOffsets = ranges.text
            conversation.sourceTopic = topic
            if message.atMs >= conversation.lastMs || conversation.lastSourceOffset == nil {
                conversation.lastSourcePartition = message.sourcePartition
                conversation.lastSourceOffset = message.sourceOffset
            }
        }
        conversation.lastEventID = eventID ?? conversation.lastEventID
        conversation.version += 1
    }

    /// `wecom-room-R1-1715000000000`, `wecom-zhangsan-wmABC-1715…`, `dingtalk-cid123-1715…`; ids
    /// too long for the schema keep a prefix and a fingerprint.
    public static func conversationID(thread: String, startMs: Int64) -> String {
        var base = String(thread.map { $0 == ":" || $0 == "|" ? "-" : $0 })
        while base.contains("--") { base = base.replacingOccurrences(of: "--", with: "-") }
        if base.count > 150 { base = String(base.prefix(120)) + "-" + ChatMessageParser.fingerprint(base) }
        return "\(base)-\(startMs)"
    }
}
