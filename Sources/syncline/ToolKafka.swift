import ArgumentParser
import Foundation
import Logging
import SynclineMapping
import SynclineKafka

/// What the tool commands (`diff`, `trace`, `resync`) share when they read Kafka.
enum ToolKafka {
    /// A topic's partition count: from its declaration, else from the cluster's metadata.
    static func partitionCount(topic: String, catalog: TopicCatalog, config: KafkaConfig, logger: Logger) async throws -> Int {
        if let declared = catalog[topic]?.partitions { return declared }
        let counts = try await BlockingThread.run { try KafkaAdmin(config: config, logger: logger).describeTopics() }
        guard let count = counts[topic] else {
            Terminal.complain("topic \(topic) is neither declared in topics/ nor on the cluster")
            throw ExitCode(2)
        }
        return count
    }
}

extension ToolKafka {
    /// Every record of these partitions of `topic` from the first at or after `sinceMs` to the end
    /// offsets seen now (offsets for the time found as `KafkaOffsetSeeker` does).
    static func readSince(topic: String, partitions: [Int32], sinceMs: Int64, config: KafkaConfig, logger: Logger) async throws -> [InputRecord] {
        try await BlockingThread.run { () throws -> [InputRecord] in
            let positions = try KafkaOffsetSeeker(config: config, logger: logger).offsets(topic: topic, partitions: partitions, atOrAfterMs: sinceMs)
            var from: [Int32: Int64] = [:]
            var to: [Int32: Int64] = [:]
            for position in positions {
                from[position.partition] = position.offset
                to[position.partition] = position.high
            }
            return try KafkaRangeReader(config: config, logger: logger).read(topic: topic, from: from, to: to, timeout: .seconds(120))
        }
    }

    /// Every record of all partitions of `topic` written from `fromMs` up to (not including) `toMs`:
    /// both ends found as offsets for times, so a trace of an old record reads only its window.
    static func readWindow(topic: String, partitions: Int, fromMs: Int64, toMs: Int64, config: KafkaConfig, logger: Logger) async throws -> [InputRecord] {
        try await BlockingThread.run { () throws -> [InputRecord] in
            let seeker = KafkaOffsetSeeker(config: config, logger: logger)
            let ids = (0..<Int32(partitions)).map { $0 }
            let starts = try seeker.offsets(topic: topic, partitions: ids, atOrAfterMs: fromMs)
            let ends = try seeker.offsets(topic: topic, partitions: ids, atOrAfterMs: toMs)
            var from: [Int32: Int64] = [:]
            var to: [Int32: Int64] = [:]
            for position in starts { from[position.partition] = position.offset }
            for position in ends { to[position.partition] = position.offset }
            return try KafkaRangeReader(config: config, logger: logger).read(topic: topic, from: from, to: to, timeout: .seconds(120))
        }
    }

    /// One record by its coordinates (nil when the topic no longer holds it).
    static func record(topic: String, partition: Int32, offset: Int64, config: KafkaConfig, logger: Logger) async throws -> InputRecord? {
        try await BlockingThread.run {
            try KafkaRangeReader(config: config, logger: logger).read(topic: topic, from: [partition: offset], to: [partition: offset + 1], timeout: .seconds(10))
        }.first
    }
}
