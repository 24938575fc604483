import Foundation
import GRDB
import SynclineMapping
import SynclineStore
import Testing

@Suite("SQLite ledger on a real database file")
struct LedgerTests {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ledger-\(UUID().uuidString)")

    func openLedger() throws -> Ledger {
        try Ledger(path: Ledger.path(inStateDirectory: directory))
    }

    func observation(sourceMs: Int64, ackMs: Int64) -> LatencyObservation {
        LatencyObservation(
            sourceMs: sourceMs, brokerMs: sourceMs + 1_000, consumeMs: sourceMs + 2_000, ackMs: ackMs,
            delayMs: ackMs - sourceMs, upstreamMs: 1_000, queueMs: 1_000, processingMs: ackMs - sourceMs - 2_000,
            attribution: .processing, delayed: true)
    }

    @Test("the file is created with owner-only permissions and in WAL mode")
    func permissions() throws {
        let ledger = try openLedger()
        let path = Ledger.path(inStateDirectory: directory)
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        #expect(try ledger.durability().journalMode == "wal")
    }

    @Test("the 24 h success rate per channel comes from the per-minute counts, with old minutes outside the window")
    func channelHealthFromKnownCounts() throws {
        let ledger = try openLedger()
        let now: Int64 = 1_790_000_000_000
        var batch: [ConnectorActivity] = []
        // marketing: 3 turns in the window: 1000 consumed, 990 produced, 10 rejected; one turn 30 h ago
        for (offsetMinutes, consumed, produced, rejected) in [(0, 500, 495, 5), (-10, 300, 297, 3), (-600, 200, 198, 2), (-1_800, 999, 0, 999)] {
            var activity = ConnectorActivity(connector: "marketing", atMs: now + Int64(offsetMinutes) * 60_000)
            activity.consumed["raw.marketing.events.v1"] = consumed
            activity.produced["crm.leads.v1"] = produced
            if rejected > 0 { activity.rejected[.init(stage: .validate, code: "invalid_phone")] = rejected }
            batch.append(activity)
        }
        var erp = ConnectorActivity(connector: "erp", atMs: now)
        erp.consumed["raw.erp.payments.v1"] = 40
        erp.produced["crm.payments.v1"] = 40
        erp.delayed = [DelayedRecord(
            connector: "erp", eventID: "p-1", sourceTopic: "raw.erp.payments.v1", sourcePartition: 2, sourceOffset: 7,
            outputTopic: "crm.payments.v1", observation: observation(sourceMs: now - 120_000, ackMs: now), mappingVersion: "v3")]
        batch.append(erp)
        try ledger.recordActivity(batch)

        let health = try ledger.channelHealth(sinceMs: now - 24 * 3_600_000)
        let marketing = try #require(health.first { $0.connector == "marketing" })
        #expect(marketing.consumed == 1_000)
        #expect(marketing.produced == 990)
        #expect(marketing.rejected == 10)
        #expect(abs(marketing.successRate - 0.99) < 1e-9)
        let erpHealth = try #require(health.first { $0.connector == "erp" })
        #expect(erpHealth.successRate == 1)
        #expect(erpHealth.delayed == 1)
        #expect(abs(erpHealth.delayedShare - 0.025) < 1e-9)
    }

    @Test("delayed samples come back newest first with both timestamps, limited and per connector")
    func latestSamples() throws {
        let ledger = try openLedger()
        let now: Int64 = 1_790_000_000_000
        var activity = ConnectorActivity(connector: "tickets", atMs: now)
        activity.delayed = (0..<8).map { index in
            DelayedRecord(
                connector: "tickets", eventID: "t-\(index)", sourceTopic: "raw.tickets.events.v1", sourcePartition: 0,
                sourceOffset: Int64(index), outputTopic: "crm.activities.v1",
                observation: observation(sourceMs: now - 200_000, ackMs: now + Int64(index) * 1_000), mappingVersion: "v1")
        }
        try ledger.recordActivity([activity])
        let samples = try ledger.latestDelayedSamples(connector: "tickets", limit: 5)
        #expect(samples.map(\.eventID) == ["t-7", "t-6", "t-5", "t-4", "t-3"])
        #expect(samples.allSatisfy { $0.sourceMs == now - 200_000 && $0.ackMs > $0.sourceMs })
        #expect(try ledger.latestDelayedSamples(connector: "marketing", limit: 5).isEmpty)
    }

    @Test("the DLQ index filters by connector and code; expiry removes old rows; mapping versions are kept with content")
    func deadLettersExpiryAndVersions() throws {
        let ledger = try openLedger()
        let now: Int64 = 1_790_000_000_000
        var activity = ConnectorActivity(connector: "marketing", atMs: now)
        for (index, code) in ["invalid_phone", "invalid_phone", "malformed_json"].enumerated() {
            activity.deadLetters.append(DeadLetterNotice(
                connector: "marketing", rejection: Rejection(stage: .validate, code: code, field: "phone", message: "bad", rule: "lead"),
                sourceTopic: "raw.marketing.events.v1", sourcePartition: 1, sourceOffset: Int64(index),
                dlqTopic: "hub.dlq.marketing.v1", dlqPartition: 0, dlqOffset: Int64(index), mappingVersion: "v2",
                eventID: "e\(index)", failedAtMs: now - Int64(index) * 8 * 24 * 3_600_000))
        }
        try ledger.recordActivity([activity])
        #expect(try ledger.deadLetters(connector: "marketing", code: "invalid_phone").count == 2)
        #expect(try ledger.deadLetters(connector: "marketing", code: nil).count == 3)
        try ledger.expireRows(olderThanMs: now - 7 * 24 * 3_600_000)
        let left = try ledger.deadLetters(connector: nil, code: nil)
        #expect(left.map(\.eventID) == ["e0"])

        try ledger.recordMappingDeployed(connector: "marketing", version: "v2", file: "connectors/marketing.yaml", content: "name: marketing", atMs: now)
        try ledger.recordMappingDeployed(connector: "marketing", version: "v2", file: "connectors/marketing.yaml", content: "name: marketing", atMs: now + 5)
        let versions = try ledger.mappingVersions(connector: "marketing")
        #expect(versions.count == 1)
        #expect(versions.first?.firstDeployedMs == now)
        #expect(versions.first?.lastDeployedMs == now + 5)
        #expect(versions.first?.content == "name: marketing")
    }

    @Test("DLQ index rows from the batch insert read back as the record type's own rows; turns of one minute add up")
    func deadLetterRowsAndMinuteSums() throws {
        let ledger = try openLedger()
        let now: Int64 = 1_790_000_000_000
        let notices = [
            DeadLetterNotice(
                connector: "marketing", rejection: Rejection(stage: .validate, code: "invalid_phone", field: "phone", message: "bad 电话", rule: "lead"),
                sourceTopic: "raw.marketing.events.v1", sourcePartition: 3, sourceOffset: 41, dlqTopic: "hub.dlq.marketing.v1",
                dlqPartition: 2, dlqOffset: 7, mappingVersion: "v2", eventID: "e-1", failedAtMs: now),
            DeadLetterNotice(
                connector: "marketing", rejection: Rejection(stage: .decode, code: "malformed_json", field: nil, message: "no JSON"),
                sourceTopic: "raw.marketing.events.v1", sourcePartition: 0, sourceOffset: 9, dlqTopic: "hub.dlq.marketing.v1",
                dlqPartition: 1, dlqOffset: 8, mappingVersion: "v2", eventID: nil, failedAtMs: now + 1),
        ]
        var turns: [ConnectorActivity] = []
        for (index, notice) in notices.enumerated() {
            var turn = ConnectorActivity(connector: "marketing", atMs: now + Int64(index) * 1_000)
            turn.consumed["raw.marketing.events.v1"] = 100
            turn.produced["crm.leads.v1"] = 99
            turn.rejected[.init(stage: notice.rejection.stage, code: notice.rejection.code)] = 1
            turn.deadLetters = [notice]
            turns.append(turn)
        }
        var later = ConnectorActivity(connector: "marketing", atMs: now + 120_000)
        later.consumed["raw.marketing.events.v1"] = 5
        later.produced["crm.leads.v1"] = 5
        turns.append(later)
        try ledger.recordActivity(turns)

        let rows = try ledger.deadLetters(connector: "marketing", code: nil).sorted { $0.sourceOffset > $1.sourceOffset }
        #expect(rows.count == 2)
        for (row, notice) in zip(rows, notices) {
            var expected = DeadLetterEntry(notice)
            expected.id = row.id
            #expect(row == expected)
        }
        let health = try #require(try ledger.channelHealth(sinceMs: now - 3_600_000).first { $0.connector == "marketing" })
        #expect(health.consumed == 205)
        #expect(health.produced == 203)
        #expect(health.rejected == 2)
    }

    @Test("the batching writer writes queued activity in the background and on close")
    func batchingWriter() throws {
        let ledger = try openLedger()
        let writer = LedgerWriter(ledger: ledger, interval: .seconds(60))
        var activity = ConnectorActivity(connector: "im", atMs: 1_790_000_000_000)
        activity.consumed["raw.im.messages.v1"] = 7
        writer.record(activity)
        writer.close()
        let health = try ledger.channelHealth(sinceMs: 0)
        #expect(health.first?.consumed == 7)
        #expect(writer.failureCount == 0)
    }

    @Test("an unwritable ledger is reported through onError and never throws into the caller")
    func unwritableLedgerIsReported() throws {
        let ledger = try openLedger()
        // Another connection to the same file breaks the schema under the ledger.
        try DatabaseQueue(path: Ledger.path(inStateDirectory: directory)).write { db in try db.execute(sql: "DROP TABLE minute_counts") }
        let errors = ErrorBox()
        let writer = LedgerWriter(ledger: ledger, interval: .seconds(60)) { error in errors.append("\(error)") }
        var activity = ConnectorActivity(connector: "im", atMs: 1_790_000_000_000)
        activity.consumed["raw.im.messages.v1"] = 1
        writer.record(activity)
        writer.close()
        #expect(writer.failureCount == 1)
        #expect(errors.values.first?.contains("minute_counts") == true)
    }
}

final class ErrorBox: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [String] = []
    func append(_ value: String) { lock.withLock { stored.append(value) } }
    var values: [String] { lock.withLock { stored } }
}
