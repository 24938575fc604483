import Foundation
import GRDB

/// Opens one of the hub's SQLite files the way the ledger does: created with owner-only
/// permissions, WAL (a `DatabasePool`), a busy timeout, migrated to the latest schema.
enum StoreFile {
    static func open(path: String, migrator: DatabaseMigrator) throws -> DatabasePool {
        let url = URL(fileURLWithPath: path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        if !FileManager.default.fileExists(atPath: path) {
            _ = FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600])
        }
        var configuration = Configuration()
        configuration.busyMode = .timeout(5)
        let pool = try DatabasePool(path: path, configuration: configuration)
        try migrator.migrate(pool)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        return pool
    }
}
