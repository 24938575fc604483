import GRDB

/// Every schema change of the activity state store (`activities.sqlite`), applied in order at open.
enum ActivityMigrations {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: chat conversations, messages, calls, follow-up facts") { db in
            try db.create(table: "chat_conversations") { t in
                t.primaryKey("conversation_id", .text)
                t.column("thread_key", .text).notNull()
                t.column("source_system", .text).notNull()
                t.column("staff_id", .text)
                t.column("external_id", .text)
                t.column("room_id", .text)
                t.column("external_phone", .text)
                t.column("started_ms", .integer).notNull()
                t.column("last_ms", .integer).notNull()
                t.column("last_ingest_ms", .integer).notNull()
                t.column("message_count", .integer).notNull()
                t.column("participants", .text).notNull()
                t.column("summary", .text).notNull()
                t.column("summary_lines", .integer).notNull()
                t.column("direction", .text).notNull()
                t.column("customer_id", .text)
                t.column("linked_by", .text)
                t.column("last_event_id", .text)
                t.column("closed", .boolean).notNull()
                t.column("version", .integer).notNull()
                t.column("emitted_version", .integer).notNull()
                t.column("alerted", .boolean).notNull()
            }
            try db.create(index: "chat_conversations_by_thread", on: "chat_conversations", columns: ["thread_key", "last_ms"])
            try db.create(index: "chat_conversations_open", on: "chat_conversations", columns: ["closed", "last_ms"])
            try db.create(table: "chat_messages") { t in
                t.primaryKey("message_id", .text)
                t.column("conversation_id", .text).notNull()
                t.column("at_ms", .integer).notNull()
            }
            try db.create(table: "call_states") { t in
                t.primaryKey("call_key", .text)
                t.column("activity", .text).notNull()
                t.column("events", .text).notNull()
                t.column("alert_event_id", .text)
                t.column("updated_ms", .integer).notNull()
            }
            try db.create(table: "customer_contacts") { t in
                t.primaryKey("customer_id", .text)
                t.column("last_contact_ms", .integer).notNull()
                t.column("kind", .text).notNull()
                t.column("activity_id", .text)
            }
            try db.create(table: "customer_interests") { t in
                t.column("customer_id", .text).notNull()
                t.column("kind", .text).notNull()
                t.column("reference", .text).notNull()
                t.column("at_ms", .integer).notNull()
                t.primaryKey(["customer_id", "kind", "reference"])
            }
            try db.create(index: "customer_interests_by_time", on: "customer_interests", columns: ["at_ms"])
        }
        migrator.registerMigration("v2: lineage of chat conversations") { db in
            try db.alter(table: "chat_conversations") { t in
                t.add(column: "source_topic", .text)
                t.add(column: "source_offsets", .text).notNull().defaults(to: "")
                t.add(column: "last_source_partition", .integer)
                t.add(column: "last_source_offset", .integer)
            }
        }
        migrator.registerMigration("v3: state partitions (state follows its partition through the changelog)") { db in
            try db.alter(table: "chat_conversations") { t in t.add(column: "state_partition", .integer).notNull().defaults(to: -1) }
            try db.alter(table: "chat_messages") { t in t.add(column: "state_partition", .integer).notNull().defaults(to: -1) }
            try db.alter(table: "call_states") { t in t.add(column: "state_partition", .integer).notNull().defaults(to: -1) }
            try db.create(index: "chat_conversations_by_partition", on: "chat_conversations", columns: ["state_partition"])
            try db.create(index: "chat_messages_by_conversation", on: "chat_messages", columns: ["conversation_id"])
            try db.create(index: "chat_messages_by_partition", on: "chat_messages", columns: ["state_partition"])
            try db.create(index: "call_states_by_partition", on: "call_states", columns: ["state_partition"])
        }
        return migrator
    }
}
