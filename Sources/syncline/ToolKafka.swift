import ArgumentParser
import Foundation
import Logging
import SynclineCore
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

    /// One record by its coordinates (nil when the topic no longer holds it).
    static func record(topic: String, partition: Int32, offset: Int64, config: KafkaConfig, logger: Logger) async throws -> InputRecord? {
        try await BlockingThread.run {
            try KafkaRangeReader(config: config, logger: logger).read(topic: topic, from: [partition: offset], to: [partition: offset + 1], timeout: .seconds(10))
        }.first
    }
}
