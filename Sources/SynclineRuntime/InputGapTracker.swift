/// Finds input the broker deleted before the connector read it, for one partition. It knows the
/// next offset the group should read (the committed offset at assignment, then one past each
/// record); a record further on, where the partition's log now starts past that offset, means the
/// records in between expired (retention, or the embedded cluster's 5 MiB cap) and the consumer
/// was reset. A jump the log start does not explain (compaction, transaction markers) is no loss.
struct InputGapTracker: Sendable {
    /// The next offset expected; nil until known (a new group has nothing to compare with).
    var expected: Int64?

    init(committed: Int64?) {
        expected = committed
    }

    /// Notes a consumed record; returns the offsets deleted unread just before it, if any.
    /// `logStart` gives the partition's first offset as the broker last reported it (nil: unknown);
    /// it is asked only when the offset jumped.
    mutating func consumed(offset: Int64, logStart: () -> Int64?) -> ClosedRange<Int64>? {
        let next = expected
        expected = offset + 1
        guard let next, offset > next else { return nil }
        let end = min(offset, logStart() ?? offset)
        guard end > next else { return nil }
        return next...(end - 1)
    }
}
