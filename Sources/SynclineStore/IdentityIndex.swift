public import Foundation
import GRDB

/// The identity index (SQLite file `identity.sqlite` in the state directory): every identifier of
/// every customer in `crm.customers.v1` → `customer_id`, plus each customer's owner, and how far
/// the changelog has been read (stored in the same transaction as the changes it applied, so a
/// restart neither skips nor double-applies one). Owns its database writer; writes are named by
/// intent. An identifier two customers share links to the most recently updated one.
public final class IdentityIndex: Sendable {
    private let writer: any DatabaseWriter

    /// Opens (creating and migrating) the index at `path`, owner-only permissions, WAL.
    public init(path: String) throws {
        writer = try StoreFile.open(path: path, migrator: IdentityMigrations.migrator)
    }

    /// Where the hub keeps the index inside its state directory.
    public static func path(inStateDirectory directory: URL) -> String {
        directory.appendingPathComponent("identity.sqlite").path
    }

    // MARK: - Writes, named by intent

    /// Applies changes read from the changelog, in order, and records the next offset to read of
    /// each partition — all in one transaction.
    public func applyChangelog(_ changes: [CustomerChange], positions: [(topic: String, partition: Int32, nextOffset: Int64)]) throws {
        try writer.write { db in
            for change in changes {
                switch change {
                case .remove(let customerID):
                    try Self.remove(customerID, db)
                case .upsert(let customer):
                    try Self.remove(customer.customerID, db)
                    try db.execute(
                        sql: "INSERT INTO identity_customers (customer_id, name, owner, owner_name, updated_ms) VALUES (?, ?, ?, ?, ?)",
                        arguments: [customer.customerID, customer.name, customer.owner, customer.ownerName, customer.updatedMs])
                    for identifier in Set(customer.identifiers) {
                        try db.execute(
                            sql: "INSERT OR REPLACE INTO identity_keys (kind, value, customer_id, updated_ms) VALUES (?, ?, ?, ?)",
                            arguments: [identifier.kind.rawValue, identifier.value, customer.customerID, customer.updatedMs ?? 0])
                    }
                }
            }
            for position in positions {
                try db.execute(
                    sql: """
                        INSERT INTO identity_positions (topic, partition, next_offset) VALUES (?, ?, ?)
                        ON CONFLICT(topic, partition) DO UPDATE SET next_offset = MAX(next_offset, excluded.next_offset)
                        """,
                    arguments: [position.topic, position.partition, position.nextOffset])
            }
        }
    }

    private static func remove(_ customerID: String, _ db: Database) throws {
        try db.execute(sql: "DELETE FROM identity_keys WHERE customer_id = ?", arguments: [customerID])
        try db.execute(sql: "DELETE FROM identity_customers WHERE customer_id = ?", arguments: [customerID])
    }

    // MARK: - Reads

    /// The customer an identifier (already normalised) belongs to.
    public func customerID(_ kind: IdentifierKind, _ value: String) throws -> String? {
        try writer.read { db in try Self.find(kind, value, db) }
    }

    /// The first of `identifiers` (in the order given) that links to a customer.
    public func link(_ identifiers: [CustomerIdentity.Identifier]) throws -> IdentityMatch? {
        guard !identifiers.isEmpty else { return nil }
        return try writer.read { db in
            for identifier in identifiers where !identifier.value.isEmpty {
                if let id = try Self.find(identifier.kind, identifier.value, db) {
                    return IdentityMatch(customerID: id, linkedBy: identifier.kind)
                }
            }
            return nil
        }
    }

    private static func find(_ kind: IdentifierKind, _ value: String, _ db: Database) throws -> String? {
        let statement = try db.cachedStatement(
            sql: "SELECT customer_id FROM identity_keys WHERE kind = ? AND value = ? ORDER BY updated_ms DESC, customer_id LIMIT 1")
        return try String.fetchOne(statement, arguments: [kind.rawValue, value])
    }

    /// A customer with its owner and identifiers, or nil when the index does not know it.
    public func customer(_ customerID: String) throws -> CustomerIdentity? {
        try writer.read { db in
            guard let row = try Row.fetchOne(
                db, sql: "SELECT * FROM identity_customers WHERE customer_id = ?", arguments: [customerID])
            else { return nil }
            let keys = try Row.fetchAll(
                db, sql: "SELECT kind, value FROM identity_keys WHERE customer_id = ? ORDER BY kind, value", arguments: [customerID])
            return CustomerIdentity(
                customerID: row["customer_id"], name: row["name"], owner: row["owner"], ownerName: row["owner_name"],
                updatedMs: row["updated_ms"],
                identifiers: keys.compactMap { key in
                    IdentifierKind(rawValue: key["kind"]).map { CustomerIdentity.Identifier($0, key["value"]) }
                })
        }
    }

    /// Owner and owner name of each of these customers the index knows.
    public func owners(of customerIDs: [String]) throws -> [String: (owner: String?, ownerName: String?, name: String?)] {
        try writer.read { db in
            var result: [String: (owner: String?, ownerName: String?, name: String?)] = [:]
            for chunk in stride(from: 0, to: customerIDs.count, by: 500).map({ Array(customerIDs[$0..<min($0 + 500, customerIDs.count)]) }) {
                let marks = Array(repeating: "?", count: chunk.count).joined(separator: ",")
                for row in try Row.fetchAll(
                    db, sql: "SELECT customer_id, owner, owner_name, name FROM identity_customers WHERE customer_id IN (\(marks))",
                    arguments: StatementArguments(chunk))
                {
                    result[row["customer_id"]] = (row["owner"], row["owner_name"], row["name"])
                }
            }
            return result
        }
    }

    /// The next offset to read of each partition of `topic` (absent: read from the beginning).
    public func positions(topic: String) throws -> [Int32: Int64] {
        try writer.read { db in
            var result: [Int32: Int64] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT partition, next_offset FROM identity_positions WHERE topic = ?", arguments: [topic]) {
                result[row["partition"]] = row["next_offset"]
            }
            return result
        }
    }

    /// How many customers and identifiers the index holds.
    public func counts() throws -> (customers: Int, identifiers: Int) {
        try writer.read { db in
            (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM identity_customers") ?? 0,
             try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM identity_keys") ?? 0)
        }
    }

    /// The journal mode and sync level of the index's writer connection (FULL: it gates commits).
    public func durability() throws -> StoreDurability {
        try StoreFile.durability(of: writer)
    }
}
