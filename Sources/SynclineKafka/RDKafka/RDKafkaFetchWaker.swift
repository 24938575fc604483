import CRdKafka
import Foundation
import Synchronization

/// Keeps a small consumer prefetch from stalling on librdkafka 2.0.2's fetch back-off.
///
/// In 2.0.2 a partition whose fetch queue holds `queued.min.messages` records or
/// `queued.max.messages.kbytes` bytes is taken off its broker thread's fetch list with no back-off
/// deadline (`rd_kafka_toppar_fetch_decide` returns `RD_TS_MAX`); with the high-level consumer every
/// partition's fetch queue is forwarded to the one consumer queue, so once that queue is full every
/// partition stops at once. The broker thread then sleeps until an op arrives or its 1 s serve
/// timeout passes: draining the queue wakes nothing. (`fetch.queue.backoff.ms` came in 2.3.0.)
///
/// The polling thread reports each batch here. When the queue was near its limit (90 %) and has
/// drained below half, a helper thread sends a ListOffsets request for the assigned partitions
/// (`rd_kafka_offsets_for_times`, answer ignored): a request enqueued for a broker thread ends its
/// wait, and it re-decides its partitions and fetches at once. The same trick as `ops/passthrough`.
final class RDKafkaFetchWaker: @unchecked Sendable {
    private let handle: RDKafkaHandle
    private let limitRecords: Int
    private let limitBytes: Int
    /// Polling thread only.
    private var consumed = 0
    private var valueBytes = 0
    private var wasFull = false
    private let pending = Atomic<Bool>(false)
    private let stopped = Atomic<Bool>(false)
    private let kicks = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)
    /// ListOffsets wake-ups sent.
    let sent = Atomic<Int>(0)

    /// - Parameters:
    ///   - limitRecords: `queued.min.messages`.
    ///   - limitKilobytes: `queued.max.messages.kbytes`.
    init(handle: RDKafkaHandle, limitRecords: Int, limitKilobytes: Int) {
        self.handle = handle
        self.limitRecords = max(1, limitRecords)
        self.limitBytes = max(1, limitKilobytes) * 1024
        let thread = Thread { [self] in
            while true {
                kicks.wait()
                if stopped.load(ordering: .acquiring) { break }
                pending.store(false, ordering: .releasing)
                wakeBrokers()
            }
            finished.signal()
        }
        thread.name = "syncline-kafka-waker"
        thread.start()
    }

    /// Called by the polling thread after each batch: `records` taken with `bytes` of values, and
    /// how many records are still queued.
    @inline(__always)
    func observe(records: Int, bytes: Int, queued: Int) {
        consumed &+= records
        valueBytes &+= bytes
        guard consumed > 0 else { return }
        // The queue's limit in records: queued.min.messages, or the byte limit over the average
        // value size (librdkafka counts value bytes), whichever binds first.
        let average = max(1, valueBytes / consumed)
        let limit = min(limitRecords, limitBytes / average)
        if queued >= limit * 9 / 10 {
            wasFull = true
        } else if wasFull && queued < limit / 2 {
            wasFull = false
            if !pending.exchange(true, ordering: .acquiringAndReleasing) { kicks.signal() }
        }
    }

    private func wakeBrokers() {
        var list: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?
        guard rd_kafka_assignment(handle.pointer, &list) == RD_KAFKA_RESP_ERR_NO_ERROR, let list else { return }
        defer { rd_kafka_topic_partition_list_destroy(list) }
        guard list.pointee.cnt > 0, let elements = list.pointee.elems else { return }
        // Timestamp 0 for each: any answer will do; what matters is the request on each leader's thread.
        for index in 0..<Int(list.pointee.cnt) { elements[index].offset = 0 }
        _ = rd_kafka_offsets_for_times(handle.pointer, list, 1_000)
        sent.add(1, ordering: .relaxed)
    }

    /// Stops the helper thread (waiting for a request in progress, at most about a second).
    func stop() {
        guard !stopped.exchange(true, ordering: .acquiringAndReleasing) else { return }
        kicks.signal()
        finished.wait()
    }
}
