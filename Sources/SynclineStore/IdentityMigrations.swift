import GRDB

/// Every schema change of the identity index (`identity.sqlite`), applied in order at open.
enum IdentityMigrations {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: customers, identifiers, changelog positions") { db in
            try db.create(table: "identity_customers") { t in
                t.primaryKey("customer_id", .text)
                t.column("name", .text)
                t.column("owner", .text)
                t.column("owner_name", .text)
                t.column("updated_ms", .integer)
            }
            try db.create(index: "identity_customers_by_owner", on: "identity_customers", columns: ["owner"])
            try db.create(table: "identity_keys") { t in
                t.column("kind", .text).notNull()
                t.column("value", .text).notNull()
                t.column("customer_id", .text).notNull()
                t.column("updated_ms", .integer).notNull().defaults(to: 0)
                t.primaryKey(["kind", "value", "customer_id"])
            }
            try db.create(index: "identity_keys_by_customer", on: "identity_keys", columns: ["customer_id"])
            try db.create(table: "identity_positions") { t in
                t.column("topic", .text).notNull()
                t.column("partition", .integer).notNull()
                t.column("next_offset", .integer).notNull()
                t.primaryKey(["topic", "partition"])
            }
        }
        return migrator
    }
}
