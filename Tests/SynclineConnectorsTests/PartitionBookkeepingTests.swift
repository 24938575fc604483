@testable import SynclineConnectors
@testable import SynclineRuntime
import SynclineTestSupport
import Testing

@Suite("Runtime bookkeeping: partition progress, confirmed commits, revoked partitions, gaps")
struct PartitionBookkeepingTests {
    @Test("only a confirmed commit counts; a refused one is offered again; a stale confirmation counts nothing")
    func confirmedCommits() {
        var progress = PartitionProgress()
        let a = progress.begin(offset: 10, outputs: 1)
        let b = progress.begin(offset: 11, outputs: 1)
        #expect(progress.acknowledge(seq: a) == 1)
        #expect(progress.offsetToCommit == 11)
        progress.commitSent(11)
        #expect(progress.offsetToCommit == nil, "already sent, awaiting the answer")
        progress.commitFailed(11)
        #expect(progress.offsetToCommit == 11, "a refused commit is offered again")
        #expect(progress.uncommitted == 1)
        progress.commitSent(11)
        #expect(progress.acknowledge(seq: b) == 1)
        progress.commitSent(12)
        #expect(progress.commitConfirmed(12) == 2, "the newer confirmation covers both records")
        #expect(progress.commitConfirmed(11) == 0, "the older one, answered late, adds nothing")
        #expect(progress.lastCommitted == 12)
        #expect(progress.uncommitted == 0)
        #expect(progress.offsetToCommit == nil)
    }

    @Test("acknowledged out of order, the committable offset is always the end of the fully handled prefix, and the storage stays as small as what is pending")
    func progressAgainstAModel() {
        var random = SplitMix64(state: 0x5EED_0F_1234)
        var progress = PartitionProgress()
        // The model: outputs still awaited per offset, in a plain dictionary.
        var awaited: [Int64: Int] = [:]
        var seqOf: [Int64: Int] = [:]
        var next: Int64 = 1_000
        var firstUnhandled: Int64 = 1_000
        let window = 300
        var largestStored = 0
        // Each step consumes a record or acknowledges an output of a random pending one.
        while next < 21_000 || !awaited.isEmpty {
            if next < 21_000 && awaited.count < window && (awaited.isEmpty || Bool.random(using: &random)) {
                let outputs = Int.random(in: 0...3, using: &random)
                seqOf[next] = progress.begin(offset: next, outputs: outputs)
                if outputs > 0 { awaited[next] = outputs } else { _ = progress.advance() }
                next += 1
            } else if let offset = awaited.keys.randomElement(using: &random), let seq = seqOf[offset] {
                _ = progress.acknowledge(seq: seq)
                awaited[offset] = awaited[offset].map { $0 - 1 }
                if awaited[offset] == 0 { awaited[offset] = nil }
            }
            while firstUnhandled < next && awaited[firstUnhandled] == nil { firstUnhandled += 1 }
            let expected: Int64? = firstUnhandled > 1_000 ? firstUnhandled : nil
            if progress.committable != expected || progress.pending != Int(next - firstUnhandled) {
                Issue.record("at offset \(next): committable \(String(describing: progress.committable)), expected \(String(describing: expected)); pending \(progress.pending), expected \(next - firstUnhandled)")
                return
            }
            // Kept: the pending span plus a handled prefix of at most max(255, pending) records.
            if progress.stored > progress.pending + max(255, progress.pending) {
                Issue.record("at offset \(next): \(progress.stored) records stored for \(progress.pending) pending")
                return
            }
            largestStored = max(largestStored, progress.stored)
        }
        #expect(progress.committable == 21_000)
        #expect(progress.completedTotal == 20_000)
        #expect(progress.stored == 0, "all handled: nothing kept")
        #expect(largestStored < 20_000 / 2, "stored up to \(largestStored) records")
    }

    @Test("a revoked partition has no slot: its records are dropped and late reports of the old assignment ignored")
    func revokedPartitions() throws {
        var table = PartitionTable()
        let key = PartitionKey(topic: "t", partition: 3)
        table.assign(key, committed: 5)
        let found = table.slot(topic: "t", partition: 3)
        let slot = try #require(found)
        let generation = table[slot].generation
        #expect(table.live(slot, generation: generation))
        table.revoke(key)
        let afterRevoke = table.slot(topic: "t", partition: 3)
        #expect(afterRevoke == nil, "records of a revoked partition find no slot")
        #expect(!table.live(slot, generation: generation))
        table.assign(key, committed: 7)
        let foundAgain = table.slot(topic: "t", partition: 3)
        let again = try #require(foundAgain)
        #expect(again == slot)
        #expect(!table.live(slot, generation: generation), "reports of the earlier assignment stay ignored")
        #expect(table[again].gaps.expected == 7)
        let unknown = table.slot(topic: "t", partition: 4)
        #expect(unknown == nil)
    }

    @Test("gaps: a jump past the log start is expired input; a jump the log start does not explain is not")
    func gaps() {
        var tracker = InputGapTracker(committed: 100)
        #expect(tracker.consumed(offset: 100, logStart: { 0 }) == nil)
        #expect(tracker.consumed(offset: 101, logStart: { 0 }) == nil)
        #expect(tracker.consumed(offset: 150, logStart: { 150 }) == 102...149)
        #expect(tracker.consumed(offset: 160, logStart: { 150 }) == nil, "compaction or markers: the log still starts before")
        #expect(tracker.consumed(offset: 200, logStart: { nil }) == 161...199, "unknown log start: the gap is reported")
        var fresh = InputGapTracker(committed: nil)
        #expect(fresh.consumed(offset: 5_000, logStart: { 5_000 }) == nil, "a new group has nothing to compare with")
    }
}

@Suite("Follow-up hand-over off the hot path")
struct FollowUpHandOverTests {
    @Test("while the identity index is empty only outputs naming their customer are worth reading")
    func namesCustomer() {
        #expect(FollowUpRecorder.namesCustomer(Array(#"{"lead_id":"x","customer_id":"c-1"}"#.utf8)))
        #expect(!FollowUpRecorder.namesCustomer(Array(#"{"lead_id":"x","phone":"+8613800138000"}"#.utf8)))
        #expect(!FollowUpRecorder.namesCustomer(Array(#"{"customer_id":null}"#.utf8)))
        #expect(!FollowUpRecorder.namesCustomer([]))
    }

    @Test("the memmem search finds exactly what the byte-by-byte search found")
    func namesCustomerMatchesTheReference() {
        let pieces = [#""customer_id":""#, #""customer_id""#, #"customer_id":""#, #""customer_"#, "\"", ":", "c", "x", "客"].map { Array($0.utf8) }
        var state: UInt64 = 99
        for _ in 0..<5_000 {
            var value: [UInt8] = []
            for _ in 0..<Int(state % 12) {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                value += pieces[Int((state >> 33) % UInt64(pieces.count))]
            }
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            #expect(FollowUpRecorder.namesCustomer(value) == FollowUpRecorder.namesCustomerReference(value), "\(value)")
        }
    }
}
