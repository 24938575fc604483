import Foundation
import Logging
import SynclineMapping
@testable import SynclineRuntime
import Testing

/// The poison-pill guard's parts with plain values and a real file: the crash count per record,
/// and the mapped crash-mark file as the next process reads it. A real crash of a real process is
/// in `PoisonPillEndToEndTests`.
@Suite("Poison-pill guard: crash counts and the crash-mark file")
struct PoisonPillGuardTests {
    @Test("a record is quarantined after its second crash; crashes on other records neither reset nor share its count")
    func ledgerCounts() {
        var ledger = PoisonPillLedger()
        #expect(ledger.recordCrash(topic: "raw.a", partition: 1, offset: 7, stage: .map, signal: 4, atMs: 1).crashes == 1)
        #expect(ledger.quarantine(topic: "raw.a", partition: 1, offset: 7) == nil)
        // A second poison pill elsewhere crashes the hub in between: the first keeps its count.
        ledger.recordCrash(topic: "raw.a", partition: 2, offset: 7, stage: .decode, signal: 11, atMs: 2)
        let second = ledger.recordCrash(topic: "raw.a", partition: 1, offset: 7, stage: .map, signal: 4, atMs: 3)
        #expect(second.crashes == 2)
        #expect(ledger.quarantine(topic: "raw.a", partition: 1, offset: 7)?.stage == .map)
        #expect(ledger.quarantine(topic: "raw.a", partition: 2, offset: 7) == nil)
        #expect(ledger.quarantine(topic: "raw.b", partition: 1, offset: 7) == nil)
        #expect(ledger.quarantined.count == 1)
    }

    @Test("the ledger keeps at most its capacity, forgetting the oldest suspects first")
    func ledgerBounded() {
        var ledger = PoisonPillLedger()
        for offset in 0..<Int64(PoisonPillLedger.capacity + 5) {
            ledger.recordCrash(topic: "raw.a", partition: 0, offset: offset, stage: .map, signal: 4, atMs: offset)
        }
        #expect(ledger.suspects.count == PoisonPillLedger.capacity)
        #expect(ledger.suspects.first?.offset == 5)
    }

    @Test("the crash-mark file: a record left in the pipeline is read back by the next opening, with its stage; end() clears it")
    func crashMarkRoundTrip() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("crashmark-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("x.crashmark")
        do {
            let marks = try CrashMarkFile(url: url)
            #expect(marks.leftover() == nil)
            marks.reset(topics: ["raw.one.v1", "raw.two.v1"])
            marks.begin(topicIndex: 1, partition: 3, offset: 1_234_567_890_123)
            marks.stageMark.pointee = StageMark.byte(for: .validate)
        }
        // Another mapping of the file, as the next process would see it: killed, not faulted.
        let reopened = try CrashMarkFile(url: url)
        let left = try #require(reopened.leftover())
        #expect(left == .init(topic: "raw.two.v1", partition: 3, offset: 1_234_567_890_123, stage: .validate, signal: nil))
        reopened.end()
        #expect(try CrashMarkFile(url: url).leftover() == nil)
        reopened.reset(topics: ["raw.one.v1"])
        #expect(try CrashMarkFile(url: url).leftover() == nil)
    }

    @Test("the guard blames only a faulted run: a killed one is logged and not counted")
    func killedIsNotCounted() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("crashguard-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let record = InputRecord(topic: "raw.one.v1", partition: 0, offset: 42, key: nil, value: Array("{}".utf8))
        for _ in 0..<3 {
            let guardian = try PoisonPillGuard(directory: directory, connector: "c", topics: ["raw.one.v1"], logger: Logger(label: "t"), nowMs: 0)
            #expect(guardian.quarantine(record) == nil)
            guardian.begin(record)  // and the "process" ends here, as a SIGKILL would leave it
        }
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("c.suspects.json").path))
    }

    @Test("stage marks: pipeline stage names map to decode, map, validate and link, and back from their bytes")
    func stageMarks() {
        #expect(StageMark.errorStage(ofStageNamed: "payload") == .decode)
        #expect(StageMark.errorStage(ofStageNamed: "compiled") == .map)
        #expect(StageMark.errorStage(ofStageNamed: "validate") == .validate)
        #expect(StageMark.errorStage(ofStageNamed: "telephony") == .link)
        for stage in ErrorStage.allCases { #expect(StageMark.stage(StageMark.byte(for: stage)) == stage) }
        #expect(StageMark.stage(0) == nil)
        #expect(StageMark.stage(200) == nil)
    }
}
