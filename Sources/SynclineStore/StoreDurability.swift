/// How a store's writes reach the disk, as SQLite reports it on the connection every write goes
/// through: what the "a committed offset never gets ahead of its state" promise rests on.
public struct StoreDurability: Sendable, Equatable {
    /// `wal` for every store of the hub.
    public var journalMode: String
    /// SQLite's `synchronous` level: 1 NORMAL (the ledger), 2 FULL (stores that gate commits).
    public var synchronous: Int

    public init(journalMode: String, synchronous: Int) {
        self.journalMode = journalMode
        self.synchronous = synchronous
    }
}
