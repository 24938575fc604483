public import SynclineRecords
import Foundation
import Synchronization

/// Batches connector activity into the ledger off the Kafka path: `record` only appends to a
/// bounded in-memory queue; a background thread writes one transaction per second. A failing
/// disk is reported through `onError` (and counted) but never stops delivery.
public final class LedgerWriter: ConnectorObserver, @unchecked Sendable {
    private let ledger: Ledger
    private let pending = Mutex<[ConnectorActivity]>([])
    private let dropped = Atomic<Int>(0)
    private let failures = Atomic<Int>(0)
    private let running = Atomic<Bool>(true)
    private let finished = DispatchSemaphore(value: 0)
    private let wake = DispatchSemaphore(value: 0)
    private let onError: @Sendable (any Error) -> Void
    /// Activities held at most before the oldest are dropped (and counted).
    public let capacity: Int
    public let interval: Duration

    public init(
        ledger: Ledger, interval: Duration = .seconds(1), capacity: Int = 20_000,
        onError: @escaping @Sendable (any Error) -> Void = { _ in }
    ) {
        self.ledger = ledger
        self.interval = interval
        self.capacity = capacity
        self.onError = onError
        let thread = Thread { [self] in
            while running.load(ordering: .acquiring) {
                _ = wake.wait(timeout: .now() + .milliseconds(Int(interval / .milliseconds(1))))
                flush()
            }
            flush()
            finished.signal()
        }
        thread.name = "syncline-ledger"
        thread.start()
    }

    public func record(_ activity: ConnectorActivity) {
        let overflow = pending.withLock { queue -> Int in
            queue.append(activity)
            let excess = queue.count - capacity
            if excess > 0 { queue.removeFirst(excess) }
            return max(0, excess)
        }
        if overflow > 0 { dropped.add(overflow, ordering: .relaxed) }
    }

    /// Writes everything queued now (also called by the background thread).
    public func flush() {
        let batch = pending.withLock { queue -> [ConnectorActivity] in
            defer { queue.removeAll(keepingCapacity: true) }
            return queue
        }
        guard !batch.isEmpty else { return }
        do {
            try ledger.recordActivity(batch)
        } catch {
            failures.add(1, ordering: .relaxed)
            onError(error)
        }
    }

    /// Activities dropped because the ledger could not keep up.
    public var droppedCount: Int { dropped.load(ordering: .relaxed) }
    /// Failed batch writes.
    public var failureCount: Int { failures.load(ordering: .relaxed) }

    /// Writes what is left and stops the background thread.
    public func close() {
        guard running.exchange(false, ordering: .acquiringAndReleasing) else { return }
        wake.signal()
        finished.wait()
    }
}
