public import Foundation
import GRDB

/// The state the im and telephony processors keep between records, and the follow-up facts the
/// weekly report reads (SQLite file `activities.sqlite` in the state directory). Every write that
/// absorbs an input commits before the stage returns, so committing that input's offset loses
/// nothing; message ids and event ids make a redelivered input change nothing. Owns its database
/// writer; writes are named by intent.
public final class ActivityStore: Sendable {
    private let writer: any DatabaseWriter

    /// Opens (creating and migrating) the store at `path`, owner-only permissions, WAL.
    public init(path: String) throws {
        writer = try StoreFile.open(path: path, migrator: ActivityMigrations.migrator)
    }

    /// Where the hub keeps the store inside its state directory.
    public static func path(inStateDirectory directory: URL) -> String {
        directory.appendingPathComponent("activities.sqlite").path
    }

    // MARK: - Chat conversations

    /// Absorbs one chat message into its thread, once: when `messageID` was absorbed before nothing
    /// happens and the result is nil. Otherwise `fold` gets the thread's open conversation and its
    /// latest closed one and returns the conversations to save; they and the message id are
    /// written in one transaction, under `statePartition`. Returns the saved conversations with
    /// their message ids: the state changes for the changelog.
    public func absorbChatMessage(
        messageID: String, threadKey: String, atMs: Int64, statePartition: Int32 = -1,
        fold: (_ open: ChatConversation?, _ latestClosed: ChatConversation?) -> [ChatConversation]
    ) throws -> [ChatConversationState]? {
        try writer.write { db in
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM chat_messages WHERE message_id = ?", arguments: [messageID]) == true {
                return nil
            }
            let open = try ChatConversation
                .filter(sql: "thread_key = ? AND closed = 0", arguments: [threadKey])
                .order(sql: "last_ms DESC").fetchOne(db)
            let closed = try ChatConversation
                .filter(sql: "thread_key = ? AND closed = 1", arguments: [threadKey])
                .order(sql: "last_ms DESC").fetchOne(db)
            var saved = fold(open, closed)
            for index in saved.indices {
                saved[index].statePartition = statePartition
                try saved[index].save(db)
            }
            let owner = saved.last?.conversationID ?? open?.conversationID ?? ""
            try db.execute(
                sql: "INSERT INTO chat_messages (message_id, conversation_id, at_ms, state_partition) VALUES (?, ?, ?, ?)",
                arguments: [messageID, owner, atMs, statePartition])
            return try saved.map { try Self.state(of: $0, db) }
        }
    }

    static func state(of conversation: ChatConversation, _ db: Database) throws -> ChatConversationState {
        let ids = try String.fetchAll(
            db, sql: "SELECT message_id FROM chat_messages WHERE conversation_id = ? ORDER BY at_ms, message_id",
            arguments: [conversation.conversationID])
        return ChatConversationState(conversation: conversation, messageIDs: ids)
    }

    /// A conversation's current state with its message ids (what the changelog keeps of it).
    public func conversationState(_ conversationID: String) throws -> ChatConversationState? {
        try writer.read { db in
            try ChatConversation.fetchOne(db, key: conversationID).map { try Self.state(of: $0, db) }
        }
    }

    /// Closes every open conversation idle since `idleGapMs` by message time and not fed for
    /// `quietMs` by the wall clock; returns the ids of those it closed.
    @discardableResult
    public func closeIdleConversations(nowMs: Int64, idleGapMs: Int64, quietMs: Int64) throws -> [String] {
        try writer.write { db in
            let condition = "closed = 0 AND last_ms <= ? AND last_ingest_ms <= ?"
            let arguments: StatementArguments = [nowMs - idleGapMs, nowMs - quietMs]
            let ids = try String.fetchAll(db, sql: "SELECT conversation_id FROM chat_conversations WHERE \(condition)", arguments: arguments)
            guard !ids.isEmpty else { return [] }
            try db.execute(sql: "UPDATE chat_conversations SET closed = 1, version = version + 1 WHERE \(condition)", arguments: arguments)
            return ids
        }
    }

    /// Links a conversation to a customer (found when its activity or alert was built).
    public func linkConversation(_ conversationID: String, customerID: String, linkedBy: String) throws {
        try writer.write { db in
            try db.execute(
                sql: "UPDATE chat_conversations SET customer_id = ?, linked_by = ? WHERE conversation_id = ?",
                arguments: [customerID, linkedBy, conversationID])
        }
    }

    /// The brokers acknowledged the activity of `version` of a conversation.
    public func markConversationEmitted(_ conversationID: String, version: Int) throws {
        try writer.write { db in
            try db.execute(
                sql: "UPDATE chat_conversations SET emitted_version = MAX(emitted_version, ?) WHERE conversation_id = ?",
                arguments: [version, conversationID])
        }
    }

    /// The brokers acknowledged the conversation's `unlinked_conversation` alert: never raise it again.
    public func markConversationAlerted(_ conversationID: String) throws {
        try writer.write { db in
            try db.execute(sql: "UPDATE chat_conversations SET alerted = 1 WHERE conversation_id = ?", arguments: [conversationID])
        }
    }

    /// Closed conversations whose latest version was not acknowledged yet, oldest first.
    public func conversationsToEmit(limit: Int = 500) throws -> [ChatConversation] {
        try writer.read { db in
            try ChatConversation.filter(sql: "closed = 1 AND emitted_version < version").order(sql: "last_ms").limit(limit).fetchAll(db)
        }
    }

    /// Conversations with an external contact, linked to no customer, that lasted more than
    /// `alertAfterMs` (first to last message) and whose alert was not acknowledged yet.
    public func conversationsToAlert(alertAfterMs: Int64, limit: Int = 500) throws -> [ChatConversation] {
        try writer.read { db in
            try ChatConversation
                .filter(sql: "alerted = 0 AND external_id IS NOT NULL AND customer_id IS NULL AND last_ms - started_ms > ?", arguments: [alertAfterMs])
                .order(sql: "started_ms").limit(limit).fetchAll(db)
        }
    }

    public func conversation(_ conversationID: String) throws -> ChatConversation? {
        try writer.read { db in try ChatConversation.fetchOne(db, key: conversationID) }
    }

    /// Every conversation of a thread, oldest first.
    public func conversations(threadKey: String) throws -> [ChatConversation] {
        try writer.read { db in
            try ChatConversation.filter(sql: "thread_key = ?", arguments: [threadKey]).order(sql: "started_ms").fetchAll(db)
        }
    }

    // MARK: - Calls

    /// Reads a call's state, lets `update` change it, and saves the result — one transaction.
    /// Returns what was saved (or the unchanged state when `update` returns nil).
    public func updateCall(_ callKey: String, update: (CallState?) -> CallState?) throws -> CallState? {
        try writer.write { db in
            let current = try CallState.fetchOne(db, key: callKey)
            guard let next = update(current) else { return current }
            try next.save(db)
            return next
        }
    }

    public func call(_ callKey: String) throws -> CallState? {
        try writer.read { db in try CallState.fetchOne(db, key: callKey) }
    }

    // MARK: - Follow-up facts

    /// The hub logged an activity with a customer at `atMs` (kept when it is the latest).
    public func recordContact(customerID: String, atMs: Int64, kind: String, activityID: String?) throws {
        try writer.write { db in
            try db.execute(
                sql: """
                    INSERT INTO customer_contacts (customer_id, last_contact_ms, kind, activity_id) VALUES (?, ?, ?, ?)
                    ON CONFLICT(customer_id) DO UPDATE SET last_contact_ms = excluded.last_contact_ms, kind = excluded.kind,
                      activity_id = excluded.activity_id
                    WHERE excluded.last_contact_ms > customer_contacts.last_contact_ms
                    """,
                arguments: [customerID, atMs, kind, activityID])
        }
    }

    /// A lead or ticket (`kind`) concerning a customer was seen; `reference` (lead or ticket id)
    /// keeps redeliveries from counting twice.
    public func recordInterest(customerID: String, kind: String, reference: String, atMs: Int64) throws {
        try writer.write { db in
            try db.execute(
                sql: """
                    INSERT INTO customer_interests (customer_id, kind, reference, at_ms) VALUES (?, ?, ?, ?)
                    ON CONFLICT(customer_id, kind, reference) DO UPDATE SET at_ms = MAX(at_ms, excluded.at_ms)
                    """,
                arguments: [customerID, kind, reference, atMs])
        }
    }

    /// Customers with a lead or ticket at or after `sinceMs`, with their last logged activity.
    public func followUpCandidates(sinceMs: Int64) throws -> [FollowUpCandidate] {
        try writer.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT i.customer_id AS customer_id,
                           SUM(CASE WHEN i.kind = 'lead' THEN 1 ELSE 0 END) AS leads,
                           SUM(CASE WHEN i.kind = 'ticket' THEN 1 ELSE 0 END) AS tickets,
                           MAX(i.at_ms) AS latest, c.last_contact_ms AS last_contact_ms, c.kind AS contact_kind
                    FROM customer_interests i LEFT JOIN customer_contacts c ON c.customer_id = i.customer_id
                    WHERE i.at_ms >= ? GROUP BY i.customer_id ORDER BY i.customer_id
                    """,
                arguments: [sinceMs]
            ).map { row in
                FollowUpCandidate(
                    customerID: row["customer_id"], lastContactMs: row["last_contact_ms"], lastContactKind: row["contact_kind"],
                    leads: row["leads"], tickets: row["tickets"], latestInterestMs: row["latest"])
            }
        }
    }

    /// The journal mode and sync level of the store's writer connection (FULL: it gates commits).
    public func durability() throws -> StoreDurability {
        try StoreFile.durability(of: writer)
    }
}

/// The im and telephony state kept per input partition: replaced by a restore from the changelog,
/// dropped when the partition is revoked, forgotten (and tombstoned by the caller) past retention.
extension ActivityStore {
    /// Replaces the conversations (and their message ids) kept for `partition` with the ones
    /// restored from its changelog, in one transaction.
    public func replaceChatState(partition: Int32, with states: [ChatConversationState]) throws {
        try writer.write { db in
            try db.execute(sql: "DELETE FROM chat_messages WHERE state_partition = ?", arguments: [partition])
            try db.execute(sql: "DELETE FROM chat_conversations WHERE state_partition = ?", arguments: [partition])
            for state in states {
                var conversation = state.conversation
                conversation.statePartition = partition
                try conversation.save(db)
                for id in state.messageIDs {
                    try db.execute(
                        sql: """
                            INSERT INTO chat_messages (message_id, conversation_id, at_ms, state_partition) VALUES (?, ?, ?, ?)
                            ON CONFLICT(message_id) DO UPDATE SET conversation_id = excluded.conversation_id,
                              state_partition = excluded.state_partition
                            """,
                        arguments: [id, conversation.conversationID, conversation.lastMs, partition])
                }
            }
        }
    }

    /// Deletes closed conversations whose latest version was acknowledged and which no message fed
    /// since `idleBeforeMs` (wall clock), with their message ids; returns their ids and partitions
    /// (for the changelog's tombstones).
    public func forgetChatState(idleBeforeMs: Int64, limit: Int = 500) throws -> [(conversationID: String, partition: Int32)] {
        try writer.write { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT conversation_id, state_partition FROM chat_conversations
                    WHERE closed = 1 AND emitted_version >= version AND last_ingest_ms < ? LIMIT ?
                    """,
                arguments: [idleBeforeMs, limit])
            let forgotten = rows.map { (conversationID: $0["conversation_id"] as String, partition: $0["state_partition"] as Int32) }
            for entry in forgotten {
                try db.execute(sql: "DELETE FROM chat_messages WHERE conversation_id = ?", arguments: [entry.conversationID])
                try db.execute(sql: "DELETE FROM chat_conversations WHERE conversation_id = ?", arguments: [entry.conversationID])
            }
            return forgotten
        }
    }

    /// Forgets every conversation and message id (the cache is rebuilt from the changelog).
    public func dropAllChatState() throws {
        try writer.write { db in
            try db.execute(sql: "DELETE FROM chat_messages")
            try db.execute(sql: "DELETE FROM chat_conversations")
        }
    }

    /// Forgets the conversations of partitions this instance no longer owns (their next owner restores them).
    public func dropChatState(partitions: [Int32]) throws {
        try writer.write { db in
            for partition in partitions {
                try db.execute(sql: "DELETE FROM chat_messages WHERE state_partition = ?", arguments: [partition])
                try db.execute(sql: "DELETE FROM chat_conversations WHERE state_partition = ?", arguments: [partition])
            }
        }
    }

    /// Replaces the calls kept for `partition` with the ones restored from its changelog.
    public func replaceCallState(partition: Int32, with calls: [CallState]) throws {
        try writer.write { db in
            try db.execute(sql: "DELETE FROM call_states WHERE state_partition = ?", arguments: [partition])
            for var call in calls {
                call.statePartition = partition
                try call.save(db)
            }
        }
    }

    /// Deletes calls no report updated since `updatedBeforeMs` (wall clock); returns their keys and
    /// partitions (for the changelog's tombstones).
    public func forgetCallState(updatedBeforeMs: Int64, limit: Int = 500) throws -> [(callKey: String, partition: Int32)] {
        try writer.write { db in
            let rows = try Row.fetchAll(
                db, sql: "SELECT call_key, state_partition FROM call_states WHERE updated_ms < ? LIMIT ?",
                arguments: [updatedBeforeMs, limit])
            let forgotten = rows.map { (callKey: $0["call_key"] as String, partition: $0["state_partition"] as Int32) }
            for entry in forgotten {
                try db.execute(sql: "DELETE FROM call_states WHERE call_key = ?", arguments: [entry.callKey])
            }
            return forgotten
        }
    }

    /// Forgets every call (the cache is rebuilt from the changelog).
    public func dropAllCallState() throws {
        try writer.write { db in try db.execute(sql: "DELETE FROM call_states") }
    }

    /// Forgets the calls of partitions this instance no longer owns (their next owner restores them).
    public func dropCallState(partitions: [Int32]) throws {
        try writer.write { db in
            for partition in partitions {
                try db.execute(sql: "DELETE FROM call_states WHERE state_partition = ?", arguments: [partition])
            }
        }
    }
}
