public import Logging
public import SynclineRecords
import Foundation

/// Reads bounded windows of a topic outside any consumer group — per partition from one offset up
/// to another — for the tools (`diff`, `trace`, `resync --dry-run`). Blocking: call through `BlockingThread`.
public struct KafkaRangeReader: Sendable {
    public let config: KafkaConfig
    public let logger: Logger

    public init(config: KafkaConfig, logger: Logger) {
        self.config = config
        self.logger = logger
    }

    /// Log start and end offsets of partitions 0..<partitions, asked of the brokers.
    public func watermarks(topic: String, partitions: Int) throws(KafkaError) -> [Int32: (low: Int64, high: Int64)] {
        let consumer = try KafkaConsumer(config: config, groupID: "syncline-tool-\(UUID().uuidString)", logger: logger)
        defer { consumer.close() }
        var marks: [Int32: (low: Int64, high: Int64)] = [:]
        for partition in 0..<Int32(partitions) {
            marks[partition] = try consumer.watermarks(topic: topic, partition: partition)
        }
        return marks
    }

    /// Every record with `from[p] <= offset < to[p]` for each partition p named in `from`, by
    /// partition in offset order. Throws when the window is not read within `timeout`.
    public func read(topic: String, from: [Int32: Int64], to: [Int32: Int64], timeout: Duration = .seconds(30)) throws(KafkaError) -> [InputRecord] {
        let wanted = from.filter { (to[$0.key] ?? 0) > $0.value }
        guard !wanted.isEmpty else { return [] }
        let consumer = try KafkaConsumer(config: config, groupID: "syncline-tool-\(UUID().uuidString)", logger: logger)
        defer { consumer.close() }
        try consumer.assign(wanted.keys.sorted().map { TopicPartition(topic: topic, partition: $0, offset: wanted[$0] ?? 0) })
        var positions = wanted
        var result: [Int32: [InputRecord]] = [:]
        let deadline = ContinuousClock.now + timeout
        while positions.contains(where: { $0.value < (to[$0.key] ?? 0) }) {
            guard ContinuousClock.now < deadline else {
                throw KafkaError(code: -185, name: "_TIMED_OUT", message: "reading \(topic) did not reach the end of the window in time")
            }
            for record in consumer.poll(maxRecords: 5_000, timeoutMs: 100) {
                guard let end = to[record.partition], positions[record.partition] != nil else { continue }
                positions[record.partition] = max(positions[record.partition] ?? 0, record.offset + 1)
                if record.offset < end { result[record.partition, default: []].append(record) }
            }
        }
        return result.keys.sorted().flatMap { result[$0] ?? [] }
    }

    /// The last `count` records of each partition (fewer where a partition holds fewer).
    public func tail(topic: String, partitions: Int, count: Int, timeout: Duration = .seconds(30)) throws(KafkaError) -> [InputRecord] {
        let marks = try watermarks(topic: topic, partitions: partitions)
        let from = marks.mapValues { max($0.low, $0.high - Int64(count)) }
        return try read(topic: topic, from: from, to: marks.mapValues(\.high), timeout: timeout)
    }
}
