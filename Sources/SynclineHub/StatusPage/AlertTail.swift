public import Logging
public import SynclineAdmin
public import SynclineKafka
import Foundation
import Synchronization
public import SynclineMapping

/// Reads the latest records of `hub.alerts.v1` for `GET /api/v1/alerts`: the tail of every
/// partition (at most `limit` records each), outside any consumer group, newest first. Kafka is
/// the record of alerts — no copy is kept — and answers are cached for `cacheMs` so a status page
/// refreshing every 2 s costs one short read, not one per browser. One row per alert id.
public final class AlertTail: Sendable {
    public let config: KafkaConfig
    public let topic: String
    public let partitions: Int
    public let cacheMs: Int64
    let logger: Logger
    private let cache = Mutex<(atMs: Int64, limit: Int, alerts: [RecentAlert])?>(nil)

    public init(config: KafkaConfig, topic: String = TopicNames.alerts, partitions: Int, cacheMs: Int64 = 1_500, logger: Logger) {
        self.config = config
        self.topic = topic
        self.partitions = partitions
        self.cacheMs = cacheMs
        self.logger = logger
    }

    /// The latest `limit` alerts, newest first.
    public func latest(limit: Int) async throws -> [RecentAlert] {
        let now = EpochClock.nowMs()
        if let cached = cache.withLock({ $0 }), now - cached.atMs < cacheMs, cached.limit >= limit {
            return Array(cached.alerts.prefix(limit))
        }
        let alerts = try await BlockingThread.run(name: "syncline-alerts") { [self] in try read(limit: limit) }
        cache.withLock { $0 = (now, limit, alerts) }
        return alerts
    }

    func read(limit: Int) throws -> [RecentAlert] {
        let consumer = try KafkaConsumer(config: config, groupID: "syncline-alerts-\(UUID().uuidString)", logger: logger)
        defer { consumer.close() }
        var ends: [Int32: Int64] = [:]
        var assignment: [TopicPartition] = []
        for partition in 0..<Int32(partitions) {
            let marks = try consumer.watermarks(topic: topic, partition: partition)
            guard marks.high > marks.low else { continue }
            ends[partition] = marks.high
            assignment.append(TopicPartition(topic: topic, partition: partition, offset: max(marks.low, marks.high - Int64(limit))))
        }
        guard !assignment.isEmpty else { return [] }
        try consumer.assign(assignment)
        var alerts: [RecentAlert] = []
        var done = Set<Int32>()
        let deadline = ContinuousClock.now + .seconds(3)
        while done.count < ends.count && ContinuousClock.now < deadline {
            for record in consumer.poll(maxRecords: 1_000, timeoutMs: 100) {
                guard let end = ends[record.partition], record.offset < end else { continue }
                alerts.append(RecentAlert(
                    value: record.value, topic: record.topic, partition: record.partition, offset: record.offset,
                    timestampMs: record.timestampMs))
                if record.offset + 1 >= end { done.insert(record.partition) }
            }
        }
        // One row per alert id (the topic is compacted by it; a redelivered source or a moved
        // partition may have raised it again before compaction): the newest record wins.
        var seen = Set<String>()
        let newestFirst = alerts.sorted { ($0.brokerMs ?? 0, $0.raisedAt ?? "") > ($1.brokerMs ?? 0, $1.raisedAt ?? "") }
        let unique = newestFirst.filter { alert in alert.alertID.map { seen.insert($0).inserted } ?? true }
        return Array(unique.prefix(limit))
    }
}
