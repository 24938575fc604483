/// One channel's (connector's) totals over a window, and its sync success rate.
public struct ChannelHealth: Sendable, Equatable, Codable {
    public var connector: String
    public var consumed: Int
    public var produced: Int
    public var rejected: Int
    public var delayed: Int
    public var skewed: Int

    public init(connector: String, consumed: Int, produced: Int, rejected: Int, delayed: Int, skewed: Int) {
        self.connector = connector
        self.consumed = consumed
        self.produced = produced
        self.rejected = rejected
        self.delayed = delayed
        self.skewed = skewed
    }

    /// Inputs that reached a canonical topic ÷ inputs consumed (1 when nothing was consumed).
    /// An input can yield several outputs, so the handled share is 1 − rejected ÷ consumed.
    public var successRate: Double {
        consumed == 0 ? 1 : max(0, Double(consumed - rejected) / Double(consumed))
    }

    /// Delayed records ÷ consumed.
    public var delayedShare: Double { consumed == 0 ? 0 : Double(delayed) / Double(consumed) }
}
