public import Logging
public import SynclineRecords
import Synchronization

/// A consumer-group member with manual offset management: nothing is committed automatically and
/// no offset is stored implicitly. Blocking calls (`poll`, synchronous `commit`, `close`) belong on
/// a dedicated thread, never on Swift's cooperative pool.
public final class KafkaConsumer: @unchecked Sendable {
    let core: RDKafkaConsumerCore
    private let closed = Atomic<Bool>(false)
    public let groupID: String

    /// Consumer settings Syncline always applies (callers may override through `config`).
    public static let defaults: [String: String] = [
        "enable.auto.commit": "false",
        "enable.auto.offset.store": "false",
        "auto.offset.reset": "earliest",
        // A small prefetch (memory): librdkafka 2.0.2 stops fetching for ~1 s whenever the queue
        // reaches either limit, so RDKafkaFetchWaker wakes the broker threads once it drains.
        // 4 MiB / 10,000 records is a trade: 1-2 MiB starved the loop in some ops/bench runs, and
        // 16 MiB / 50,000 made route mode ~20 % faster (ops/bench, alternating runs) at a memory cost.
        "queued.max.messages.kbytes": "4096",
        "queued.min.messages": "10000",
        // librdkafka checks the queue only before each fetch: each partition may overshoot it by
        // one fetch, and each broker's answer by fetch.max.bytes.
        "max.partition.fetch.bytes": "262144",
        "fetch.max.bytes": "1048576",
        // An empty fetch waits at most 10 ms on the broker: at low rates this, not the pipeline, set
        // the latency (50 ms gave p50 30 ms source → produced at 5,000 records/s; 5 ms gave 7.6 ms).
        "fetch.wait.max.ms": "10",
        "session.timeout.ms": "10000",
        "heartbeat.interval.ms": "1000",
        "max.poll.interval.ms": "300000",
    ]

    /// - Parameter onRebalance: called on the polling thread before librdkafka applies an assignment
    ///   change; for `.revoked`, finish and commit those partitions' records before returning; for
    ///   `.assigned`, answer whether to start them paused.
    public init(
        config: KafkaConfig, groupID: String, logger: Logger,
        onRebalance: @escaping @Sendable (RebalanceEvent) -> AssignmentDecision = { _ in .consume }
    ) throws(KafkaError) {
        self.groupID = groupID
        let merged = KafkaConfig(bootstrapServers: config.bootstrapServers, properties: Self.defaults)
            .with(config.properties).with(["group.id": groupID])
        let callbacks = RDKafkaCallbacks(logger: logger, onRebalance: onRebalance)
        let handle = try RDKafkaHandle(kind: .consumer, config: merged, callbacks: callbacks)
        // The fetch waker needs the queue's limits as librdkafka applies them (its defaults otherwise).
        let prefetch = (
            records: merged["queued.min.messages"].flatMap { Int($0) } ?? 100_000,
            kilobytes: merged["queued.max.messages.kbytes"].flatMap { Int($0) } ?? 65_536)
        do {
            core = try RDKafkaConsumerCore(handle: handle, prefetch: prefetch)
        } catch {
            handle.destroy()
            throw error
        }
    }

    public func subscribe(_ topics: [String]) throws(KafkaError) { try core.subscribe(topics) }

    /// Reads the given partitions directly, outside group management (for tools and tests).
    public func assign(_ partitions: [TopicPartition]) throws(KafkaError) { try core.assign(partitions) }

    /// Waits up to `timeoutMs` for up to `maxRecords` records. Consumer errors are passed to `onError`.
    public func poll(maxRecords: Int, timeoutMs: Int32, onError: (KafkaError) -> Void = { _ in }) -> [InputRecord] {
        var errors: [KafkaError] = []
        let records = core.poll(max: maxRecords, timeoutMs: timeoutMs, errors: &errors)
        errors.forEach(onError)
        return records
    }

    /// Sends an offset commit (each offset the next one to read) without waiting; what the group
    /// coordinator answered, per partition, arrives through `commitResults(timeoutMs:)`.
    public func commitAsync(_ offsets: [TopicPartition]) throws(KafkaError) { try core.commitAsync(offsets) }

    /// Outcomes of earlier `commitAsync` calls, waiting up to `timeoutMs` for the first (0: no wait).
    public func commitResults(timeoutMs: Int32 = 0) -> [CommitOutcome] { core.commitResults(timeoutMs: timeoutMs) }

    /// ListOffsets requests sent to wake the broker threads after the prefetch queue was full
    /// (librdkafka 2.0.2 would otherwise pause fetching for up to a second).
    public var fetchWakeups: Int { core.fetchWakeups }

    /// Wakes `wakeup` when records, rebalance events or commit results arrive.
    public func enableWakeup(_ wakeup: KafkaWakeup) { core.enableWakeup(wakeup) }

    /// Log start and end offsets last seen in a fetch response (no broker round trip).
    public func cachedWatermarks(topic: String, partition: Int32) -> (low: Int64?, high: Int64?) {
        core.cachedWatermarks(topic: topic, partition: partition)
    }

    /// Commits offsets (each the next offset to read).
    public func commit(_ offsets: [TopicPartition], synchronous: Bool) throws(KafkaError) {
        try core.commit(offsets, asynchronous: !synchronous)
    }

    /// The group's committed offsets for these partitions (offset nil when nothing is committed).
    public func committed(_ partitions: [TopicPartition], timeoutMs: Int32 = 5_000) throws(KafkaError) -> [TopicPartition] {
        try core.committed(partitions, timeoutMs: timeoutMs).map { partition in
            var copy = partition
            if let offset = copy.offset, offset < 0 { copy.offset = nil }
            return copy
        }
    }

    public func pause(_ partitions: [TopicPartition]) throws(KafkaError) { try core.pause(partitions) }
    public func resume(_ partitions: [TopicPartition]) throws(KafkaError) { try core.resume(partitions) }
    public var assignment: [TopicPartition] { core.assignment() }

    /// Low and high watermark (end offset) of a partition, asked of the broker.
    public func watermarks(topic: String, partition: Int32, timeoutMs: Int32 = 5_000) throws(KafkaError) -> (low: Int64, high: Int64) {
        try core.watermarks(topic: topic, partition: partition, timeoutMs: timeoutMs)
    }

    /// The end offset last seen in a fetch response, without asking the broker (cheap, non-blocking).
    public func cachedHighWatermark(topic: String, partition: Int32) -> Int64? {
        core.cachedHighWatermark(topic: topic, partition: partition)
    }

    /// Leaves the group cleanly (the rebalance handler sees the revocation) and destroys the client.
    public func close() {
        guard !closed.exchange(true, ordering: .acquiringAndReleasing) else { return }
        core.close()
    }

    /// Destroys the client without leaving the group or committing: what a crash looks like.
    public func abandon() {
        guard !closed.exchange(true, ordering: .acquiringAndReleasing) else { return }
        core.abandon()
    }

    deinit {
        if !closed.load(ordering: .acquiring) { core.close() }
    }
}
