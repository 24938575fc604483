/// Where a connector's state restore stands: partitions still to restore, the ones done since the
/// last assignment, and the last restore of each (for `/readyz` and the status page).
public struct StateRestoreProgress: Sendable, Equatable {
    /// True when the connector keeps state that follows its partitions.
    public var stateful: Bool = false
    /// Partitions assigned whose state is not restored yet.
    public var pending: Int = 0
    /// Partitions restored since the last assignment.
    public var restored: Int = 0
    /// The latest restores, one per partition.
    public var latest: [PartitionRestore] = []
    /// The last error reading the changelog, while it is being retried.
    public var lastError: String?

    public init() {}

    /// True when nothing assigned is waiting for its state.
    public var isCaughtUp: Bool { pending == 0 }
}
