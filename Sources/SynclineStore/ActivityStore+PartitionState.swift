import GRDB

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
