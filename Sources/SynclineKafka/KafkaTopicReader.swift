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

    /// Every record of the given partitions from their start to the end offsets seen when the read
    /// began (a changelog's content at assignment time), by partition in offset order, with one
    /// consumer. Throws when the watermarks cannot be read or the ends are not reached within `timeout`.
    public func readPartitions(topic: String, partitions: [Int32], timeout: Duration = .seconds(30)) throws(KafkaError) -> [Int32: [InputRecord]] {
        var result: [Int32: [InputRecord]] = [:]
        for partition in partitions { result[partition] = [] }
        guard !partitions.isEmpty else { return result }
        let consumer = try KafkaConsumer(config: config, groupID: "syncline-restore-\(UUID().uuidString)", logger: logger)
        defer { consumer.close() }
        var ends: [Int32: Int64] = [:]
        var positions: [Int32: Int64] = [:]
        for partition in partitions {
            let marks = try consumer.watermarks(topic: topic, partition: partition)
            if marks.high > marks.low {
                ends[partition] = marks.high
                positions[partition] = marks.low
            }
        }
        guard !ends.isEmpty else { return result }
        try consumer.assign(ends.keys.sorted().map { TopicPartition(topic: topic, partition: $0, offset: positions[$0] ?? 0) })
        let deadline = ContinuousClock.now + timeout
        while positions.contains(where: { $0.value < (ends[$0.key] ?? 0) }) {
            guard ContinuousClock.now < deadline else {
                let behind = positions.filter { $0.value < (ends[$0.key] ?? 0) }.map { "[\($0.key)] at \($0.value) of \(ends[$0.key] ?? 0)" }
                throw KafkaError(code: -185, name: "_TIMED_OUT", message: "reading \(topic) stopped: \(behind.sorted().joined(separator: ", "))")
            }
            for record in consumer.poll(maxRecords: 5_000, timeoutMs: 100) {
                guard let end = ends[record.partition] else { continue }
                positions[record.partition] = max(positions[record.partition] ?? 0, record.offset + 1)
                if record.offset < end { result[record.partition, default: []].append(record) }
            }
        }
        return result
    }
}
