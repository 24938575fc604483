import SynclineRecords

extension KafkaOffsetSeeker {
    /// One partition's binary search for the first offset whose record is at or after a time: first
    /// the last record (is any that recent?), then the first (are all?), then halves. Keeps the answer
    /// in [lo, hi], where hi is an offset at or before the first record that recent (or the end).
    struct Search {
        enum Phase { case last, first, halving }

        let low: Int64
        let high: Int64
        private(set) var lo: Int64
        private(set) var hi: Int64
        private(set) var probes = 0
        private var phase = Phase.last

        init(low: Int64, high: Int64) {
            self.low = low
            self.high = high
            lo = low
            hi = high
        }

        /// The offset to read next; nil once the search is over.
        var next: Int64? {
            guard lo < hi else { return nil }
            switch phase {
            case .last: return high - 1
            case .first: return lo
            case .halving: return lo + (hi - lo) / 2
            }
        }

        var answer: Int64 { lo }

        /// Takes in the first record at or after `probed` (nil: none is left there).
        mutating func learn(_ record: InputRecord?, probed: Int64, timestampMs: Int64) {
            probes += 1
            let current = phase
            phase = current == .last ? .first : .halving
            guard let record else {
                if current == .last { lo = high } else { hi = min(hi, probed) }
                return
            }
            if (record.timestampMs ?? 0) >= timestampMs {
                hi = min(hi, current == .last ? record.offset : probed)
            } else if current == .last {
                lo = high
                hi = high
            } else {
                lo = min(max(lo, record.offset + 1), hi)
            }
        }
    }
}
