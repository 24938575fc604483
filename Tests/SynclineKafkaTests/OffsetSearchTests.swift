@testable import SynclineKafka
import SynclineRecords
import Testing

/// The binary search behind offsets for times on a broker that does not answer them (the embedded
/// cluster), against an in-memory partition: gaps in the offsets (compaction, deleted records),
/// equal timestamps, nothing that recent, everything that recent.
@Suite("Offsets for times: the search")
struct OffsetSearchTests {
    /// Runs a search over `log` (offset → timestamp, in offset order) the way the seeker does.
    static func search(_ log: [(offset: Int64, ts: Int64)], low: Int64, high: Int64, at time: Int64) -> (answer: Int64, probes: Int) {
        var search = KafkaOffsetSeeker.Search(low: low, high: high)
        while let probe = search.next {
            let found = log.first { $0.offset >= probe }.map {
                InputRecord(topic: "t", partition: 0, offset: $0.offset, key: nil, value: nil, timestampMs: $0.ts)
            }
            search.learn(found, probed: probe, timestampMs: time)
            if search.probes > 200 { break }
        }
        return (search.answer, search.probes)
    }

    /// The first offset at or after `time` by a linear scan: the oracle.
    static func expected(_ log: [(offset: Int64, ts: Int64)], high: Int64, at time: Int64) -> Int64 {
        log.first { $0.ts >= time }?.offset ?? high
    }

    @Test("over generated partitions with gaps and repeated timestamps, the search agrees with a linear scan in O(log n) reads")
    func agreesWithScan() {
        var state: UInt64 = 20_261_201
        func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 33
        }
        for _ in 0..<300 {
            let count = Int(next() % 400) + 1
            var offset = Int64(next() % 50)
            let low = offset
            var ts: Int64 = 1_764_000_000_000
            var log: [(offset: Int64, ts: Int64)] = []
            for _ in 0..<count {
                log.append((offset, ts))
                offset += next() % 5 == 0 ? Int64(next() % 7) + 1 : 1
                ts += Int64(next() % 3) * 10
            }
            let high = (log.last?.offset ?? low) + 1
            for time in [ts - 100_000, log[0].ts, log[count / 2].ts, log[count - 1].ts, log[count - 1].ts + 1, ts + Int64(next() % 20)] {
                let (answer, probes) = Self.search(log, low: low, high: high, at: time)
                let oracle = Self.expected(log, high: high, at: time)
                // An answer in a gap just before the first such record starts the consumer at that record.
                let effective = log.first { $0.offset >= answer }?.offset ?? high
                #expect(effective == oracle, "count \(count) time \(time): answer \(answer), expected \(oracle)")
                // The last record, the first, then one read per halving.
                #expect(probes <= 3 + (64 - (high - low).leadingZeroBitCount), "\(probes) reads for \(high - low) offsets")
            }
        }
    }

    @Test("nothing that recent: the end offset after one read; everything that recent: the start after two")
    func edges() {
        let log: [(offset: Int64, ts: Int64)] = (10..<20).map { ($0, 1_000 + $0) }
        #expect(Self.search(log, low: 10, high: 20, at: 5_000) == (20, 1))
        #expect(Self.search(log, low: 10, high: 20, at: 0) == (10, 2))
        #expect(Self.search(log, low: 10, high: 20, at: 1_015).answer == 15)
    }
}
