/// Tracks, for one input partition, which consumed records are fully handled (every output
/// acknowledged) so that only a contiguous, fully-acknowledged prefix is ever committed.
struct PartitionProgress {
    private var offsets: [Int64] = []
    private var remaining: [Int] = []
    private var head = 0
    private var baseSeq = 0
    /// The next offset to commit: one past the last record of the fully-handled prefix.
    private(set) var committable: Int64?
    /// What was last committed (or sent for commit).
    private(set) var lastCommitted: Int64?
    /// Records fully handled so far, and how many of them a commit covers.
    private(set) var completedTotal = 0
    private var committedTotal = 0

    /// Registers a consumed record with the number of outputs it awaits; returns its sequence number.
    mutating func begin(offset: Int64, outputs: Int) -> Int {
        let seq = baseSeq + offsets.count
        offsets.append(offset)
        remaining.append(outputs)
        return seq
    }

    /// One output of record `seq` was acknowledged. Returns how many records became fully handled.
    mutating func acknowledge(seq: Int) -> Int {
        let index = seq - baseSeq
        guard index >= head, index < remaining.count, remaining[index] > 0 else { return 0 }
        remaining[index] -= 1
        return advance()
    }

    /// Record `seq` will produce `more` outputs than announced (e.g. a latency observation).
    mutating func expect(seq: Int, more: Int) {
        let index = seq - baseSeq
        guard index >= head, index < remaining.count else { return }
        remaining[index] += more
    }

    /// Moves past records with nothing left to wait for (also records that had no outputs).
    mutating func advance() -> Int {
        var completed = 0
        while head < remaining.count, remaining[head] == 0 {
            committable = offsets[head] + 1
            head += 1
            completed += 1
        }
        completedTotal += completed
        if head > 4096, head * 2 > offsets.count {
            offsets.removeFirst(head)
            remaining.removeFirst(head)
            baseSeq += head
            head = 0
        }
        return completed
    }

    /// Notes a commit of `offset` (a value `offsetToCommit` returned); returns how many more records it covers.
    mutating func markCommitted(_ offset: Int64) -> Int {
        guard offset == committable else { return 0 }
        lastCommitted = offset
        defer { committedTotal = completedTotal }
        return completedTotal - committedTotal
    }

    /// Records consumed but not yet fully handled.
    var pending: Int { remaining.count - head }

    /// The offset to commit now, if it moved since the last commit.
    var offsetToCommit: Int64? {
        guard let committable else { return nil }
        if let lastCommitted, lastCommitted >= committable { return nil }
        return committable
    }
}
