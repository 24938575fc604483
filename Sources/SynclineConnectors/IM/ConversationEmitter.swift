public import Logging
import SynclineMapping
public import SynclineRuntime
public import SynclineStore
import Foundation
import Synchronization

/// The im processor's timed emitter: about once a second it closes conversations idle past the gap,
/// and offers (from SQLite) each closed conversation's `chat` activity and each long unlinked
/// conversation's `unlinked_conversation` alert. Only `delivered` marks them emitted, so after a
/// crash they are offered again with the same key and id (at-least-once). A delivered activity
/// linked to a customer also records that customer's last contact for the follow-up report.
/// With a `changelog` topic, the state changes it makes (closed, linked, emitted, alerted) are
/// offered too, on the next tick, to the conversation's changelog partition; lost in a crash, they
/// cost a duplicate with the same key and alert id, never a loss. A conversation closed, emitted and
/// unfed for `state_retention` is forgotten: deleted locally and tombstoned in the changelog.
public final class ConversationEmitter: TimedEmitter, Sendable {
    public let settings: IMSettings
    public let store: ActivityStore
    public let linker: CustomerLinker
    public let records: ChatRecords
    public let connector: String
    /// `hub.state.<connector>.v1`, or nil when state is kept locally only.
    public let changelog: String?
    let logger: Logger
    /// Conversations whose state changed outside an input record, to write to the changelog.
    private let changed = Mutex<Set<String>>([])
    private let sequence = Atomic<Int>(0)

    public init(
        settings: IMSettings, store: ActivityStore, linker: CustomerLinker, records: ChatRecords, connector: String,
        changelog: String? = nil, logger: Logger
    ) {
        self.changelog = changelog
        self.settings = settings
        self.store = store
        self.linker = linker
        self.records = records
        self.connector = connector
        self.logger = logger
    }

    public func due(nowMs: Int64) -> [TimedOutput] {
        var outputs: [TimedOutput] = []
        do {
            let closed = try store.closeIdleConversations(nowMs: nowMs, idleGapMs: settings.idleGapMs, quietMs: settings.quietMs)
            noteChanged(closed)
            for var conversation in try store.conversationsToAlert(alertAfterMs: settings.unlinkedAlertAfterMs) {
                if relink(&conversation) { continue }
                do throws(Rejection) {
                    let record = try records.alert(conversation, connector: connector, nowMs: nowMs)
                    outputs.append(TimedOutput(id: "alert|\(conversation.conversationID)", record: record))
                } catch {
                    logger.error("im: the alert of \(conversation.conversationID) does not fit \(TopicNames.alerts): \(error)")
                }
            }
            for var conversation in try store.conversationsToEmit() {
                _ = relink(&conversation)
                do throws(Rejection) {
                    let record = try records.activity(conversation, linker: linker)
                    outputs.append(TimedOutput(id: "activity|\(conversation.conversationID)|\(conversation.version)", record: record))
                } catch {
                    logger.error("im: the activity of \(conversation.conversationID) does not fit \(TopicNames.activities): \(error)")
                }
            }
        } catch {
            logger.error("im: cannot build due conversation outputs (retried next second): \(error)")
        }
        return outputs + stateChanges() + forgotten(nowMs: nowMs)
    }

    /// Tombstones for conversations past `state_retention` (deleted locally at once).
    func forgotten(nowMs: Int64) -> [TimedOutput] {
        guard let changelog else { return [] }
        do {
            return try store.forgetChatState(idleBeforeMs: nowMs - settings.stateRetentionMs).map { entry in
                let n = sequence.add(1, ordering: .relaxed).newValue
                return TimedOutput(id: "state|\(entry.conversationID)|\(n)", record: OutputRecord(
                    topic: changelog, key: Array(ChatConversationState.key(entry.conversationID).utf8), value: nil,
                    partition: entry.partition >= 0 ? entry.partition : nil))
            }
        } catch {
            logger.error("im: cannot forget conversations past their retention (tried again next second): \(error)")
            return []
        }
    }

    func noteChanged(_ ids: [String]) {
        guard changelog != nil, !ids.isEmpty else { return }
        changed.withLock { $0.formUnion(ids) }
    }

    /// The changelog records of conversations changed since the last tick.
    func stateChanges() -> [TimedOutput] {
        guard let changelog else { return [] }
        let ids = changed.withLock { ids in
            defer { ids = [] }
            return ids
        }
        var outputs: [TimedOutput] = []
        for id in ids.sorted() {
            do {
                guard let state = try store.conversationState(id) else { continue }
                let record = OutputRecord(
                    topic: changelog, key: Array(ChatConversationState.key(id).utf8), value: try state.encoded(),
                    partition: state.conversation.statePartition >= 0 ? state.conversation.statePartition : nil)
                let n = sequence.add(1, ordering: .relaxed).newValue
                outputs.append(TimedOutput(id: "state|\(id)|\(n)", record: record))
            } catch {
                logger.error("im: cannot write the state of \(id) to the changelog (offered again): \(error)")
                changed.withLock { _ = $0.insert(id) }
            }
        }
        return outputs
    }

    /// Tries to link a still unlinked conversation again (the customer may have been added since);
    /// true when it is linked now.
    func relink(_ conversation: inout ChatConversation) -> Bool {
        guard conversation.customerID == nil, let match = ChatRecords.link(conversation, linker: linker) else {
            return conversation.customerID != nil
        }
        conversation.customerID = match.customerID
        conversation.linkedBy = match.linkedBy
        do {
            try store.linkConversation(conversation.conversationID, customerID: match.customerID, linkedBy: match.linkedBy)
            noteChanged([conversation.conversationID])
        } catch {
            logger.warning("im: cannot store a conversation's link: \(error)")
        }
        return true
    }

    public func delivered(ids: [String]) {
        for id in ids {
            let parts = id.split(separator: "|").map(String.init)
            do {
                switch parts.first {
                case "alert" where parts.count == 2:
                    try store.markConversationAlerted(parts[1])
                    noteChanged([parts[1]])
                case "activity" where parts.count == 3:
                    try store.markConversationEmitted(parts[1], version: Int(parts[2]) ?? 0)
                    noteChanged([parts[1]])
                    if let conversation = try store.conversation(parts[1]), let customer = conversation.customerID {
                        try store.recordContact(
                            customerID: customer, atMs: conversation.lastMs, kind: "chat", activityID: ChatRecords.activityID(conversation))
                    }
                case "state":
                    break
                default:
                    logger.warning("im: acknowledgement for an unknown output id \(id)")
                }
            } catch {
                // Not marked: the output is offered again (same key and id) — a duplicate, never a loss.
                logger.error("im: cannot mark \(id) emitted (it will be emitted again): \(error)")
            }
        }
    }
}
