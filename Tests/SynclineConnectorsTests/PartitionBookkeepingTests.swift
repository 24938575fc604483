@testable import SynclineConnectors
@testable import SynclineRuntime
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
