public import SynclineAdmin
public import SynclineMapping
import Synchronization

/// Keeps the end-to-end delays of each connector's recent records (the last `window`, at most
/// `capacity` per connector) so the status page can show exact p50/p99 — the Prometheus histogram's
/// buckets (1, 5, 15 … s) are too coarse for sub-second delays.
public final class DelayWindow: ConnectorObserver, Sendable {
    public let windowMs: Int64
    public let capacity: Int
    private let delays = Mutex<[String: [(atMs: Int64, delayMs: Int64)]]>([:])

    public init(windowMs: Int64 = 300_000, capacity: Int = 5_000) {
        self.windowMs = windowMs
        self.capacity = capacity
    }

    public func record(_ activity: ConnectorActivity) {
        guard !activity.observations.isEmpty else { return }
        delays.withLock { table in
            var entries = table[activity.connector, default: []]
            for observation in activity.observations {
                entries.append((observation.ackMs, observation.delayMs))
            }
            if entries.count > capacity { entries.removeFirst(entries.count - capacity) }
            table[activity.connector] = entries
        }
    }

    /// Percentiles per connector over the window ending at `nowMs`; `connectors` are listed even
    /// when they observed nothing.
    public func percentiles(connectors: [String], nowMs: Int64) -> [DelayPercentiles] {
        let cutoff = nowMs - windowMs
        let snapshot = delays.withLock { table in
            table.mapValues { entries in entries.filter { $0.atMs >= cutoff }.map(\.delayMs) }
        }
        let names = connectors + snapshot.keys.sorted().filter { !connectors.contains($0) }
        return names.map { name in
            let sorted = (snapshot[name] ?? []).sorted()
            return DelayPercentiles(
                connector: name, count: sorted.count, p50Seconds: Self.quantile(sorted, 0.5), p99Seconds: Self.quantile(sorted, 0.99),
                maxSeconds: sorted.last.map { Double($0) / 1000 }, windowSeconds: Int(windowMs / 1000))
        }
    }

    /// Nearest-rank quantile of sorted delays, in seconds.
    static func quantile(_ sorted: [Int64], _ q: Double) -> Double? {
        guard !sorted.isEmpty else { return nil }
        let rank = Int((q * Double(sorted.count)).rounded(.up)) - 1
        return Double(sorted[min(max(rank, 0), sorted.count - 1)]) / 1000
    }
}
