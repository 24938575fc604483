import Foundation
import SynclineRecords

/// Maps one batch at a time on a thread of its own, so the loop produces the previous batch's
/// outputs, serves delivery reports and commits while the pipeline runs over the next one — on a
/// machine where the loop's thread was the bottleneck. Batches come back whole and in order; the
/// loop never polls (where rebalances happen) while a batch is being mapped, and settles a mapped
/// batch before it lets a rebalance change its partitions.
final class PipelineWorker: @unchecked Sendable {
    /// A batch handed over: the records and when they were consumed.
    struct Batch: Sendable {
        var records: [InputRecord]
        var consumeMs: Int64
    }

    /// A batch mapped, in the order it was handed over.
    struct Mapped: Sendable {
        var records: [MappedRecord]
        var consumeMs: Int64
    }

    // Guarded by `condition`.
    private let condition = NSCondition()
    private var job: Batch?
    private var done: Mapped?
    private var stopping = false
    private var exited = false
    private var threadCPU: Double = 0

    /// True from `submit` until the loop takes the result (the loop's view; only the loop calls these).
    private(set) var busy = false

    /// Starts the thread. `makeMapper` runs on it (the poison-pill guard registers that thread);
    /// `wake` is called there after each batch, to wake the loop.
    init(name: String, makeMapper: @escaping @Sendable () -> RecordMapper, wake: @escaping @Sendable () -> Void) {
        let thread = Thread { [self] in
            let mapper = makeMapper()
            // Start-up (the mapper, the poison-pill guard) is not mapping: the count starts here.
            let started = RuntimeClock.threadCPUSeconds()
            condition.lock()
            threadCPU = started
            condition.unlock()
            while let batch = nextJob() {
                let records = mapper.map(batch.records)
                let cpu = RuntimeClock.threadCPUSeconds()
                condition.lock()
                threadCPU = cpu
                done = Mapped(records: records, consumeMs: batch.consumeMs)
                condition.broadcast()
                condition.unlock()
                wake()
            }
            condition.lock()
            exited = true
            condition.broadcast()
            condition.unlock()
        }
        thread.name = name
        thread.start()
    }

    private func nextJob() -> Batch? {
        condition.lock()
        defer { condition.unlock() }
        while job == nil && !stopping { condition.wait() }
        guard !stopping, let batch = job else { return nil }
        job = nil
        return batch
    }

    /// CPU seconds the worker's thread had used when it finished its latest batch (or its start-up).
    var cpuSeconds: Double {
        condition.lock()
        defer { condition.unlock() }
        return threadCPU
    }

    /// Hands over a batch; the worker must be idle.
    func submit(_ records: [InputRecord], consumeMs: Int64) {
        precondition(!busy, "PipelineWorker takes one batch at a time")
        busy = true
        condition.lock()
        job = Batch(records: records, consumeMs: consumeMs)
        condition.signal()
        condition.unlock()
    }

    /// The mapped batch, if it is ready (never blocks).
    func takeIfDone() -> Mapped? {
        guard busy else { return nil }
        condition.lock()
        defer { condition.unlock() }
        guard let mapped = done else { return nil }
        done = nil
        busy = false
        return mapped
    }

    /// Waits for the batch being mapped (nil when none was handed over).
    func waitForBatch() -> Mapped? {
        guard busy else { return nil }
        condition.lock()
        defer { condition.unlock() }
        while done == nil && !exited { condition.wait() }
        busy = false
        defer { done = nil }
        return done
    }

    /// Maps `records` now: hands them over and waits (the worker must be idle).
    func mapNow(_ records: [InputRecord], consumeMs: Int64) -> Mapped {
        submit(records, consumeMs: consumeMs)
        return waitForBatch() ?? Mapped(records: [], consumeMs: consumeMs)
    }

    /// Stops the thread after the batch in hand (whose result is dropped) and waits for it to end,
    /// so the poison-pill guard is released on the thread that registered it.
    func stop() {
        condition.lock()
        stopping = true
        condition.broadcast()
        while !exited { condition.wait() }
        condition.unlock()
    }
}
