public import Logging
import Foundation
import SynclineRecords

/// Offsets for a time, per partition: the earliest offset whose record timestamp is at or after
/// it (the end offset when there is none). Asks the brokers first (ListOffsets by timestamp); where
/// they answer "none" although the partition's last record is that recent — librdkafka 2.0.2's mock
/// cluster does not implement the lookup — it binary-searches the partition, reading one record per
/// probe. Assumes timestamps grow with offsets (producer create time does, up to clock skew).
/// Blocking: call through `BlockingThread`.
public struct KafkaOffsetSeeker: Sendable {
    /// Where a partition's answer came from.
    public enum Method: String, Sendable { case broker, search, empty }

    /// One partition's answer, with its log start and end offsets.
    public struct Position: Sendable, Equatable {
        public var partition: Int32
        public var offset: Int64
        public var low: Int64
        public var high: Int64
        public var method: Method
        /// Records read to find it (0 when the broker answered).
        public var probes: Int
    }

    public let config: KafkaConfig
    public let logger: Logger

    public init(config: KafkaConfig, logger: Logger) {
        self.config = config
        self.logger = logger
    }

    public func offsets(topic: String, partitions: Int, atOrAfterMs timestampMs: Int64) throws(KafkaError) -> [Position] {
        try offsets(topic: topic, partitions: (0..<Int32(clamping: partitions)).map { $0 }, atOrAfterMs: timestampMs)
    }

    /// The answer for some partitions only (those a key can be on).
    public func offsets(topic: String, partitions ids: [Int32], atOrAfterMs timestampMs: Int64) throws(KafkaError) -> [Position] {
        let consumer = try KafkaConsumer(config: config, groupID: "syncline-seek-\(UUID().uuidString)", logger: logger)
        defer { consumer.close() }
        let answered = (try? consumer.offsetsForTimes(topic: topic, partitions: ids, timestampMs: timestampMs)) ?? [:]
        var result: [Int32: Position] = [:]
        var searches: [Int32: Search] = [:]
        for partition in ids {
            let marks = try consumer.watermarks(topic: topic, partition: partition)
            if marks.high <= marks.low {
                result[partition] = Position(partition: partition, offset: marks.high, low: marks.low, high: marks.high, method: .empty, probes: 0)
            } else if let offset = answered[partition], offset >= 0 {
                result[partition] = Position(partition: partition, offset: offset, low: marks.low, high: marks.high, method: .broker, probes: 0)
            } else {
                searches[partition] = Search(low: marks.low, high: marks.high)
            }
        }
        // Every partition's binary search advances in the same round: one assignment, one fetch each.
        while searches.values.contains(where: { $0.next != nil }) {
            let probes = searches.compactMapValues(\.next)
            let found = try records(consumer, topic: topic, at: probes)
            for (partition, offset) in probes {
                searches[partition]?.learn(found[partition], probed: offset, timestampMs: timestampMs)
            }
        }
        for (partition, search) in searches {
            result[partition] = Position(
                partition: partition, offset: search.answer, low: search.low, high: search.high, method: .search, probes: search.probes)
        }
        return ids.compactMap { result[$0] }
    }

    /// The first record at or after each partition's offset (absent where none arrives within 10 s).
    func records(_ consumer: KafkaConsumer, topic: String, at offsets: [Int32: Int64]) throws(KafkaError) -> [Int32: InputRecord] {
        try consumer.assign(offsets.map { TopicPartition(topic: topic, partition: $0.key, offset: $0.value) })
        var found: [Int32: InputRecord] = [:]
        let deadline = ContinuousClock.now + .seconds(10)
        while found.count < offsets.count && ContinuousClock.now < deadline {
            for record in consumer.poll(maxRecords: 5_000, timeoutMs: 100) where found[record.partition] == nil {
                if let wanted = offsets[record.partition], record.offset >= wanted { found[record.partition] = record }
            }
        }
        return found
    }
}
