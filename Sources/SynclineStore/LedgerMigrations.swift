import GRDB

/// Every schema change of the ledger, registered in one place, applied in order at open.
enum LedgerMigrations {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: counts, samples, dead letters, mapping versions") { db in
            try db.create(table: "minute_counts") { t in
                t.column("connector", .text).notNull()
                t.column("minute", .integer).notNull()
                t.column("consumed", .integer).notNull().defaults(to: 0)
                t.column("produced", .integer).notNull().defaults(to: 0)
                t.column("rejected", .integer).notNull().defaults(to: 0)
                t.column("delayed", .integer).notNull().defaults(to: 0)
                t.column("skewed", .integer).notNull().defaults(to: 0)
                t.primaryKey(["connector", "minute"])
            }
            try db.create(table: "delayed_samples") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("connector", .text).notNull()
                t.column("event_id", .text).notNull()
                t.column("source_topic", .text).notNull()
                t.column("source_partition", .integer).notNull()
                t.column("source_offset", .integer).notNull()
                t.column("output_topic", .text).notNull()
                t.column("source_ms", .integer).notNull()
                t.column("broker_ms", .integer).notNull()
                t.column("consume_ms", .integer).notNull()
                t.column("ack_ms", .integer).notNull()
                t.column("delay_ms", .integer).notNull()
                t.column("attribution", .text).notNull()
                t.column("mapping_version", .text).notNull()
            }
            try db.create(index: "delayed_samples_by_connector", on: "delayed_samples", columns: ["connector", "ack_ms"])
            try db.create(table: "dead_letters") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("connector", .text).notNull()
                t.column("stage", .text).notNull()
                t.column("code", .text).notNull()
                t.column("field", .text)
                t.column("rule", .text)
                t.column("message", .text).notNull()
                t.column("source_topic", .text).notNull()
                t.column("source_partition", .integer).notNull()
                t.column("source_offset", .integer).notNull()
                t.column("dlq_topic", .text).notNull()
                t.column("dlq_partition", .integer).notNull()
                t.column("dlq_offset", .integer).notNull()
                t.column("mapping_version", .text).notNull()
                t.column("event_id", .text)
                t.column("failed_at_ms", .integer).notNull()
            }
            try db.create(index: "dead_letters_by_code", on: "dead_letters", columns: ["connector", "code"])
            try db.create(table: "mapping_versions") { t in
                t.column("connector", .text).notNull()
                t.column("version", .text).notNull()
                t.column("file", .text).notNull()
                t.column("content", .text).notNull()
                t.column("first_deployed_ms", .integer).notNull()
                t.column("last_deployed_ms", .integer).notNull()
                t.primaryKey(["connector", "version"])
            }
        }
        migrator.registerMigration("v2: replayed dead letters") { db in
            try db.create(table: "replays") { t in
                t.column("dlq_topic", .text).notNull()
                t.column("dlq_partition", .integer).notNull()
                t.column("dlq_offset", .integer).notNull()
                t.column("connector", .text).notNull()
                t.column("replay_count", .integer).notNull()
                t.column("replayed_at_ms", .integer).notNull()
                t.primaryKey(["dlq_topic", "dlq_partition", "dlq_offset"])
            }
        }
        return migrator
    }
}
