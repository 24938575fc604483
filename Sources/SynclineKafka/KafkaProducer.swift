public import Logging
public import SynclineRecords
import Foundation
import Synchronization

/// A Kafka producer with idempotence on. Two ways to use it: the connector runtime enqueues with
/// `produce(_:token:)` and serves delivery reports itself with `poll(timeoutMs:)` on its own thread;
/// other callers `await send(_:)` while a background thread serves the reports.
public final class KafkaProducer: @unchecked Sendable {
    private let core: RDKafkaProducerCore
    private let router: DeliveryRouter
    private let waiters = Mutex<[UInt64: CheckedContinuation<DeliveryReport, any Error>]>([:])
    private let nextAsyncToken = Atomic<UInt64>(1 << 62)
    private let pollThread = Mutex<BackgroundPoller?>(nil)
    private let closed = Atomic<Bool>(false)

    /// Producer settings Syncline always applies (callers may override through `config`).
    public static let defaults: [String: String] = [
        "enable.idempotence": "true",
        "acks": "all",
        "linger.ms": "5",
        "batch.num.messages": "10000",
        "queue.buffering.max.messages": "100000",
        "queue.buffering.max.kbytes": "32768",
        "compression.type": "lz4",
        "message.timeout.ms": "300000",
        // DLQ records carry the original bytes, which may exceed Kafka's 1 MB default.
        "message.max.bytes": "16777216",
    ]

    /// - Parameter onDelivery: called for records sent with `produce(_:token:)`, on the thread that calls `poll`.
    public init(
        config: KafkaConfig, logger: Logger,
        onDelivery: @escaping @Sendable (DeliveryReport) -> Void = { _ in }
    ) throws(KafkaError) {
        let box = DeliveryRouter(onDelivery: onDelivery)
        let callbacks = RDKafkaCallbacks(logger: logger)
        let merged = KafkaConfig(bootstrapServers: config.bootstrapServers, properties: Self.defaults).with(config.properties)
        let handle = try RDKafkaHandle(kind: .producer, config: merged, callbacks: callbacks)
        core = RDKafkaProducerCore(handle: handle)
        router = box
        box.producer = self
    }

    /// Enqueues a record without waiting; its delivery report arrives through `onDelivery` with `token`
    /// (non-zero, below 2^62). Throws a retriable `QUEUE_FULL` when librdkafka's queue is full.
    /// `partition` (else the record's own `partition`, else the partitioner by key) says where it goes.
    public func produce(_ record: OutputRecord, partition: Int32? = nil, token: UInt64) throws(KafkaError) {
        try core.produce(record, partition: partition ?? record.partition, token: token)
    }

    /// Enqueues a record, serving delivery reports (10 ms at a time) while librdkafka's queue is
    /// full. Blocking: for tools and tests that publish a batch, never the runtime's loop.
    public func produceWaitingForRoom(_ record: OutputRecord, token: UInt64) throws(KafkaError) {
        while true {
            do throws(KafkaError) {
                try produce(record, token: token)
                return
            } catch where error.name == "_QUEUE_FULL" {
                poll(timeoutMs: 10)
            }
        }
    }

    /// Produces every record (waiting for room), then flushes: throws the first produce error or
    /// the flush's. Blocking, as `produceWaitingForRoom`.
    public func produceAll(_ records: [OutputRecord], flushTimeoutMs: Int32 = 120_000) throws(KafkaError) {
        for (index, record) in records.enumerated() {
            try produceWaitingForRoom(record, token: UInt64(index + 1))
        }
        if let error = flush(timeoutMs: flushTimeoutMs) { throw error }
    }

    /// Serves delivery reports through `onDelivery` (blocking up to `timeoutMs` for the first).
    /// Never call from Swift's cooperative pool with a non-zero timeout. Returns the reports served.
    @discardableResult
    public func poll(timeoutMs: Int32) -> Int { core.serve(timeoutMs: timeoutMs) { router.route($0) } }

    /// Serves delivery reports in batches straight to `deliver` (the runtime's path: no stored
    /// closure, no per-report callback from C). Returns the reports served.
    @discardableResult
    public func serveDeliveries(timeoutMs: Int32, maxEvents: Int = 64, _ deliver: (DeliveryReport) -> Void) -> Int {
        core.serve(timeoutMs: timeoutMs, maxEvents: maxEvents) { report in
            if !resumeWaiter(report) { deliver(report) }
        }
    }

    /// Wakes `wakeup` when delivery reports arrive.
    public func enableWakeup(_ wakeup: KafkaWakeup) { core.enableWakeup(wakeup) }

    /// The fatal error the client reported, if any: the instance cannot deliver any more.
    public var fatalError: KafkaError? { core.handle.callbacks.fatal }

    /// Makes librdkafka raise a fabricated fatal error (as when the idempotent producer is fenced);
    /// tests use it to check that the owner recreates the producer. It shows in `fatalError` once
    /// the error event has been served.
    public func raiseFatalErrorForTesting(reason: String) { core.raiseFatalErrorForTesting(reason: reason) }

    /// Records queued or in flight.
    public var queueLength: Int32 { core.queueLength }

    /// Blocks until every queued record is delivered or the timeout passes.
    public func flush(timeoutMs: Int32) -> KafkaError? {
        if pollThread.withLock({ $0 != nil }) { return core.flushServedElsewhere(timeoutMs: timeoutMs) }
        return core.flush(timeoutMs: timeoutMs) { router.route($0) }
    }

    /// Starts a thread that serves delivery reports, needed for `send(_:)`.
    public func startBackgroundPolling() {
        pollThread.withLock { poller in
            guard poller == nil else { return }
            let started = BackgroundPoller { [core, router] in core.serve(timeoutMs: 50) { router.route($0) } }
            poller = started
        }
    }

    /// Produces one record and waits until the brokers acknowledge it (requires background polling).
    /// Waits (never drops) while librdkafka's queue is full.
    public func send(_ record: OutputRecord, partition: Int32? = nil) async throws -> DeliveryReport {
        startBackgroundPolling()
        let token = nextAsyncToken.add(1, ordering: .relaxed).newValue
        let report = try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<DeliveryReport, any Error>) in
            waiters.withLock { $0[token] = continuation }
            var attempt = 0
            while true {
                do throws(KafkaError) {
                    try core.produce(record, partition: partition ?? record.partition, token: token)
                    return
                } catch where error.name == "_QUEUE_FULL" && attempt < 10_000 {
                    attempt += 1
                    Thread.sleep(forTimeInterval: 0.001)
                } catch {
                    let waiter = waiters.withLock { $0.removeValue(forKey: token) }
                    waiter?.resume(throwing: error)
                    return
                }
            }
        }
        if let error = report.error { throw error }
        return report
    }

    fileprivate func resumeWaiter(_ report: DeliveryReport) -> Bool {
        guard report.token >= 1 << 62 else { return false }
        let waiter = waiters.withLock { $0.removeValue(forKey: report.token) }
        waiter?.resume(returning: report)
        return waiter != nil
    }

    /// Flushes (up to `timeoutMs`), stops background polling and destroys the client.
    public func close(flushTimeoutMs: Int32 = 10_000) {
        guard !closed.exchange(true, ordering: .acquiringAndReleasing) else { return }
        _ = flush(timeoutMs: flushTimeoutMs)
        let poller = pollThread.withLock { poller -> BackgroundPoller? in
            defer { poller = nil }
            return poller
        }
        poller?.stop()
        // Reports that arrived during the flush go to their owners before the client goes away.
        while core.serve(timeoutMs: 0, deliver: { router.route($0) }) > 0 {}
        core.destroy()
    }

    /// Destroys the client dropping whatever is still queued: what a crash looks like.
    public func abandon() {
        guard !closed.exchange(true, ordering: .acquiringAndReleasing) else { return }
        core.purge()
        let poller = pollThread.withLock { poller -> BackgroundPoller? in
            defer { poller = nil }
            return poller
        }
        poller?.stop()
        core.destroy()
    }

    deinit {
        if !closed.load(ordering: .acquiring) { close(flushTimeoutMs: 0) }
    }
}

/// Routes each delivery report to an awaiting `send` or to the owner's handler.
private final class DeliveryRouter: @unchecked Sendable {
    weak var producer: KafkaProducer?
    let onDelivery: @Sendable (DeliveryReport) -> Void

    init(onDelivery: @escaping @Sendable (DeliveryReport) -> Void) {
        self.onDelivery = onDelivery
    }

    func route(_ report: DeliveryReport) {
        if producer?.resumeWaiter(report) == true { return }
        onDelivery(report)
    }
}
