import Foundation
import GRDB

/// Opens one of the hub's SQLite files: created with owner-only permissions, WAL (a
/// `DatabasePool`), a busy timeout, migrated to the latest schema. Stores whose contents gate
/// offset commits also sync every transaction (`synchronous=FULL`).
enum StoreFile {
    static func open(path: String, migrator: DatabaseMigrator, syncEveryTransaction: Bool = true) throws -> DatabasePool {
        let url = URL(fileURLWithPath: path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        if !FileManager.default.fileExists(atPath: path) {
            _ = FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600])
        }
        var configuration = Configuration()
        configuration.busyMode = .timeout(5)
        let pool = try DatabasePool(path: path, configuration: configuration)
        if syncEveryTransaction {
            // These stores gate offset commits (connector state, identity): a commit must never get
            // ahead of state a power loss could take back, so every transaction is synced (WAL + FULL).
            // Set on the pool's one writer connection after GRDB's own WAL set-up (which picks NORMAL).
            try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
        }
        try migrator.migrate(pool)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        return pool
    }

    /// The journal mode and sync level of the connection every write of `writer` goes through.
    static func durability(of writer: any DatabaseWriter) throws -> StoreDurability {
        try writer.writeWithoutTransaction { db in
            StoreDurability(
                journalMode: try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? "",
                synchronous: try Int.fetchOne(db, sql: "PRAGMA synchronous") ?? -1)
        }
    }
}
