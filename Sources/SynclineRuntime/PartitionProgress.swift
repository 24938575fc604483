/// Tracks, for one input partition, which consumed records are fully handled (every output
/// acknowledged) so that only a contiguous, fully-acknowledged prefix is ever committed — and
/// which commits the group coordinator confirmed, since only those count as committed.
struct PartitionProgress {
    private var offsets: [Int64] = []
    private var remaining: [Int] = []
    private var head = 0
    private var baseSeq = 0
    /// The next offset to commit: one past the last record of the fully-handled prefix.
    private(set) var committable: Int64?
    /// The last offset the coordinator confirmed.
    private(set) var lastCommitted: Int64?
    /// Commits sent and not yet answered: the offset and how many records it covers in all.
    private var pendingCommits: [(offset: Int64, completed: Int)] = []
    /// Records fully handled so far, and how many of them confirmed commits cover.
    private(set) var completedTotal = 0
    private(set) var committedTotal = 0

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
        if head == offsets.count {
            // Everything handled (the usual case): start again at the front, keeping the storage.
            offsets.removeAll(keepingCapacity: true)
            remaining.removeAll(keepingCapacity: true)
            baseSeq += head
            head = 0
        } else if head >= 256, head * 2 >= offsets.count {
            // Drop the handled prefix; it is at least half, so each record is moved at most once on average.
            offsets.removeFirst(head)
            remaining.removeFirst(head)
            baseSeq += head
            head = 0
        }
        return completed
    }

    /// The offset to commit now: the committable offset, if neither confirmed nor already sent.
    var offsetToCommit: Int64? {
        guard let committable else { return nil }
        if let lastCommitted, lastCommitted >= committable { return nil }
        if let sent = pendingCommits.last?.offset, sent >= committable { return nil }
        return committable
    }

    /// Handled records that no confirmed commit covers yet.
    var uncommitted: Int { completedTotal - committedTotal }

    /// Notes that a commit of `offset` (a value `offsetToCommit` returned) was sent.
    mutating func commitSent(_ offset: Int64) {
        pendingCommits.append((offset, completedTotal))
    }

    /// The coordinator confirmed `offset`; returns how many more records are now committed.
    mutating func commitConfirmed(_ offset: Int64) -> Int {
        guard let index = pendingCommits.lastIndex(where: { $0.offset == offset }) else { return 0 }
        let covered = pendingCommits[index].completed
        pendingCommits.removeFirst(index + 1)
        guard lastCommitted.map({ offset > $0 }) ?? true, covered > committedTotal else { return 0 }
        lastCommitted = offset
        defer { committedTotal = covered }
        return covered - committedTotal
    }

    /// The coordinator refused `offset`: forget the attempt so the next commit sends it again.
    mutating func commitFailed(_ offset: Int64) {
        pendingCommits.removeAll { $0.offset == offset }
    }

    /// Commits sent and not answered yet.
    var commitsPending: Bool { !pendingCommits.isEmpty }

    /// Records consumed but not yet fully handled.
    var pending: Int { remaining.count - head }

    /// Records the storage still holds (pending ones and a handled prefix not yet dropped).
    var stored: Int { remaining.count }
}
