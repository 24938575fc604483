public import Foundation
import GRDB
public import SynclineRecords

/// The hub's SQLite ledger (one file, WAL): per-minute counts per connector, delayed-record
/// samples, the DLQ index and every deployed mapping version. Owns the database writer; every
/// write is named by its intent. Created with owner-only permissions.
public final class Ledger: Sendable {
    private let writer: any DatabaseWriter

    /// Opens (creating and migrating) the ledger at `path`. Its rows are statistics, not state a
    /// commit depends on, so it keeps GRDB's WAL default (`synchronous=NORMAL`).
    public init(path: String) throws {
        writer = try StoreFile.open(path: path, migrator: LedgerMigrations.migrator, syncEveryTransaction: false)
    }

    /// An in-memory ledger is deliberately not offered: tests use a real file.
    public static func path(inStateDirectory directory: URL) -> String {
        directory.appendingPathComponent("ledger.sqlite").path
    }

    // MARK: - Writes, named by intent

    /// Adds one batch of connector activity: minute counts, delayed samples and DLQ index rows,
    /// in one transaction.
    public func recordActivity(_ batch: [ConnectorActivity]) throws {
        // A second's batch holds one activity per loop turn (hundreds under load): their counts are
        // summed per connector and minute first, so the upsert runs once per minute, not per turn.
        var minutes: [MinuteKey: MinuteCounts] = [:]
        for activity in batch {
            var counts = MinuteCounts(
                consumed: activity.consumed.values.reduce(0, +), produced: activity.produced.values.reduce(0, +),
                rejected: activity.rejected.values.reduce(0, +), delayed: activity.delayed.count, skewed: activity.skewed)
            guard counts.total > 0 else { continue }
            let key = MinuteKey(connector: activity.connector, minute: activity.atMs / 60_000)
            if let earlier = minutes[key] { counts.add(earlier) }
            minutes[key] = counts
        }
        try writer.write { db in
            let upsert = try db.cachedStatement(sql: """
                INSERT INTO minute_counts (connector, minute, consumed, produced, rejected, delayed, skewed)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(connector, minute) DO UPDATE SET
                  consumed = consumed + excluded.consumed, produced = produced + excluded.produced,
                  rejected = rejected + excluded.rejected, delayed = delayed + excluded.delayed,
                  skewed = skewed + excluded.skewed
                """)
            for (key, counts) in minutes.sorted(by: { ($0.key.connector, $0.key.minute) < ($1.key.connector, $1.key.minute) }) {
                try upsert.execute(arguments: [
                    key.connector, key.minute, counts.consumed, counts.produced, counts.rejected, counts.delayed, counts.skewed,
                ])
            }
            for activity in batch {
                for record in activity.delayed {
                    var row = DelayedSample(record)
                    try row.insert(db)
                }
                if !activity.deadLetters.isEmpty {
                    try DeadLetterEntry.insertAll(activity.deadLetters, db)
                }
            }
        }
    }

    /// Records that a mapping version was deployed (first and latest deployment times kept).
    public func recordMappingDeployed(connector: String, version: String, file: String, content: String, atMs: Int64) throws {
        try writer.write { db in
            try db.execute(
                sql: """
                    INSERT INTO mapping_versions (connector, version, file, content, first_deployed_ms, last_deployed_ms)
                    VALUES (?, ?, ?, ?, ?, ?)
                    ON CONFLICT(connector, version) DO UPDATE SET last_deployed_ms = excluded.last_deployed_ms
                    """,
                arguments: [connector, version, file, content, atMs, atMs])
        }
    }

    /// Notes that a DLQ record was re-published to its source topic (so a second replay skips it).
    public func recordReplayed(connector: String, dlqTopic: String, partition: Int32, offset: Int64, replayCount: Int, atMs: Int64) throws {
        try writer.write { db in
            try db.execute(
                sql: """
                    INSERT OR REPLACE INTO replays (dlq_topic, dlq_partition, dlq_offset, connector, replay_count, replayed_at_ms)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """,
                arguments: [dlqTopic, partition, offset, connector, replayCount, atMs])
        }
    }

    /// `partition:offset` of every DLQ record of `dlqTopic` already replayed.
    public func replayedRecords(dlqTopic: String) throws -> Set<String> {
        try writer.read { db in
            Set(try Row.fetchAll(db, sql: "SELECT dlq_partition, dlq_offset FROM replays WHERE dlq_topic = ?", arguments: [dlqTopic])
                .map { "\($0["dlq_partition"] as Int):\($0["dlq_offset"] as Int64)" })
        }
    }

    /// Deletes rows older than the retention (default 7 days).
    public func expireRows(olderThanMs cutoffMs: Int64) throws {
        try writer.write { db in
            try db.execute(sql: "DELETE FROM minute_counts WHERE minute < ?", arguments: [cutoffMs / 60_000])
            try db.execute(sql: "DELETE FROM delayed_samples WHERE ack_ms < ?", arguments: [cutoffMs])
            try db.execute(sql: "DELETE FROM dead_letters WHERE failed_at_ms < ?", arguments: [cutoffMs])
        }
    }

    // MARK: - Reads

    /// Per-connector totals and success rate (produced ÷ consumed) since `sinceMs`.
    public func channelHealth(sinceMs: Int64) throws -> [ChannelHealth] {
        try writer.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT connector, SUM(consumed) AS consumed, SUM(produced) AS produced, SUM(rejected) AS rejected,
                           SUM(delayed) AS delayed, SUM(skewed) AS skewed
                    FROM minute_counts WHERE minute >= ? GROUP BY connector ORDER BY connector
                    """,
                arguments: [sinceMs / 60_000]
            ).map { row in
                ChannelHealth(
                    connector: row["connector"], consumed: row["consumed"], produced: row["produced"],
                    rejected: row["rejected"], delayed: row["delayed"], skewed: row["skewed"])
            }
        }
    }

    /// The latest delayed records of a connector (all connectors when nil), newest first.
    public func latestDelayedSamples(connector: String?, limit: Int) throws -> [DelayedSample] {
        try writer.read { db in
            var request = DelayedSample.order(Column("ack_ms").desc, Column("id").desc).limit(limit)
            if let connector { request = request.filter(Column("connector") == connector) }
            return try request.fetchAll(db)
        }
    }

    /// Indexed DLQ entries, newest first, optionally for one connector and one error code.
    public func deadLetters(connector: String?, code: String?, limit: Int = 1_000) throws -> [DeadLetterEntry] {
        try writer.read { db in
            var request = DeadLetterEntry.order(Column("id").desc).limit(limit)
            if let connector { request = request.filter(Column("connector") == connector) }
            if let code { request = request.filter(Column("code") == code) }
            return try request.fetchAll(db)
        }
    }

    /// DLQ entries per connector and code since `sinceMs` (for status and reports).
    public func deadLetterCounts(sinceMs: Int64) throws -> [(connector: String, code: String, count: Int)] {
        try writer.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT connector, code, COUNT(*) AS n FROM dead_letters WHERE failed_at_ms >= ?
                    GROUP BY connector, code ORDER BY n DESC
                    """,
                arguments: [sinceMs]
            ).map { (connector: $0["connector"], code: $0["code"], count: $0["n"]) }
        }
    }

    /// Every deployed version of a connector's mapping (all connectors when nil), latest deployment first.
    public func mappingVersions(connector: String?) throws -> [MappingVersion] {
        try writer.read { db in
            var request = MappingVersion.order(Column("last_deployed_ms").desc)
            if let connector { request = request.filter(Column("connector") == connector) }
            return try request.fetchAll(db)
        }
    }

    /// The journal mode and sync level of the ledger's writer connection.
    public func durability() throws -> StoreDurability {
        try StoreFile.durability(of: writer)
    }
}

/// One connector's minute in `minute_counts`.
private struct MinuteKey: Hashable {
    let connector: String
    let minute: Int64
}

/// The counts a batch adds to one minute row.
private struct MinuteCounts {
    var consumed: Int, produced: Int, rejected: Int, delayed: Int, skewed: Int

    var total: Int { consumed + produced + rejected + delayed + skewed }

    mutating func add(_ other: MinuteCounts) {
        consumed += other.consumed
        produced += other.produced
        rejected += other.rejected
        delayed += other.delayed
        skewed += other.skewed
    }
}
