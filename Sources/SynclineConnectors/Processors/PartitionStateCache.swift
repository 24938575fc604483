/// The local cache of one connector's partitioned state (SQLite tables of `ActivityStore`).
public protocol PartitionStateCache: Sendable {
    /// Replaces what is kept for `partition` with these changelog entries (key, value), in order.
    func replace(partition: Int32, with entries: [(key: String, value: [UInt8])]) throws
    func drop(partitions: [Int32]) throws
    /// Drops everything kept (the start of a run: partitions may have moved since).
    func dropAll() throws
}
