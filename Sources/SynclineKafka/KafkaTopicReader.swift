public import Logging
public import SynclineRecords
import Foundation

/// Reads a whole topic, from the start to the end offsets seen when the read began, outside any
/// consumer group. Used by `dlq list`, tools and tests. Blocking: call through `BlockingThread`.
public struct KafkaTopicReader: Sendable {
    public let config: KafkaConfig
    public let logger: Logger

    public init(config: KafkaConfig, logger: Logger) {
        self.config = config
        self.logger = logger
    }

    /// Every record currently in `topic` (all partitions), in partition then offset order.
    /// Stops when every partition reached its end offset or `timeout` passes.
    public func readAll(topic: String, partitions: Int, timeout: Duration = .seconds(30)) throws(KafkaError) -> [InputRecord] {
        let consumer = try KafkaConsumer(
            config: config, groupID: "syncline-reader-\(UUID().uuidString)", logger: logger)
        defer { consumer.close() }
        var ends: [Int32: Int64] = [:]
        for partition in 0..<Int32(partitions) {
            let marks = try consumer.watermarks(topic: topic, partition: partition)
            if marks.high > marks.low { ends[partition] = marks.high }
        }
        guard !ends.isEmpty else { return [] }
        try consumer.assign(ends.keys.sorted().map { TopicPartition(topic: topic, partition: $0, offset: 0) })
        var byPartition: [Int32: [InputRecord]] = [:]
        let deadline = ContinuousClock.now + timeout
        var done = Set<Int32>()
        while done.count < ends.count && ContinuousClock.now < deadline {
            for record in consumer.poll(maxRecords: 5_000, timeoutMs: 100) {
                byPartition[record.partition, default: []].append(record)
                if let end = ends[record.partition], record.offset + 1 >= end { done.insert(record.partition) }
            }
        }
        return byPartition.keys.sorted().flatMap { partition in
            (byPartition[partition] ?? []).filter { $0.offset < (ends[partition] ?? 0) }
        }
    }

    /// Every record of one partition from its start to the end offset seen when the read began
    /// (a changelog's content at assignment time), in offset order. Throws when the watermarks
    /// cannot be read or the end is not reached within `timeout`.
    public func readPartition(topic: String, partition: Int32, timeout: Duration = .seconds(30)) throws(KafkaError) -> [InputRecord] {
        let consumer = try KafkaConsumer(config: config, groupID: "syncline-restore-\(UUID().uuidString)", logger: logger)
        defer { consumer.close() }
        let marks = try consumer.watermarks(topic: topic, partition: partition)
        guard marks.high > marks.low else { return [] }
        try consumer.assign([TopicPartition(topic: topic, partition: partition, offset: marks.low)])
        var records: [InputRecord] = []
        let deadline = ContinuousClock.now + timeout
        var position = marks.low
        while position < marks.high {
            guard ContinuousClock.now < deadline else {
                throw KafkaError(code: -185, name: "_TIMED_OUT", message: "reading \(topic) [\(partition)] stopped at offset \(position) of \(marks.high)")
            }
            for record in consumer.poll(maxRecords: 5_000, timeoutMs: 100) where record.partition == partition {
                position = max(position, record.offset + 1)
                if record.offset < marks.high { records.append(record) }
            }
        }
        return records
    }
}
