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
        var result: [Position] = []
        for partition in ids {
            let marks = try consumer.watermarks(topic: topic, partition: partition)
            guard marks.high > marks.low else {
                result.append(Position(partition: partition, offset: marks.high, low: marks.low, high: marks.high, method: .empty, probes: 0))
                continue
            }
            if let offset = answered[partition], offset >= 0 {
                result.append(Position(partition: partition, offset: offset, low: marks.low, high: marks.high, method: .broker, probes: 0))
                continue
            }
            var probes = 0
            let found = try search(consumer, topic: topic, partition: partition, low: marks.low, high: marks.high, timestampMs: timestampMs, probes: &probes)
            result.append(Position(partition: partition, offset: found, low: marks.low, high: marks.high, method: .search, probes: probes))
        }
        return result
    }

    /// The first offset in [low, high) whose record is at or after `timestampMs`; `high` when none is.
    func search(
        _ consumer: KafkaConsumer, topic: String, partition: Int32, low: Int64, high: Int64, timestampMs: Int64, probes: inout Int
    ) throws(KafkaError) -> Int64 {
        probes += 1
        guard let last = try record(consumer, topic: topic, partition: partition, at: high - 1), (last.timestampMs ?? 0) >= timestampMs else {
            return high
        }
        var lo = low
        var hi = last.offset
        while lo < hi {
            let mid = lo + (hi - lo) / 2
            probes += 1
            guard let probe = try record(consumer, topic: topic, partition: partition, at: mid) else { return hi }
            if (probe.timestampMs ?? 0) >= timestampMs {
                hi = min(mid, probe.offset)
            } else {
                lo = probe.offset + 1
            }
        }
        return lo
    }

    /// The first record at or after `offset` of one partition (nil when none arrives within 10 s).
    func record(_ consumer: KafkaConsumer, topic: String, partition: Int32, at offset: Int64) throws(KafkaError) -> InputRecord? {
        try consumer.assign([TopicPartition(topic: topic, partition: partition, offset: offset)])
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline {
            if let found = consumer.poll(maxRecords: 1_000, timeoutMs: 100).first(where: { $0.partition == partition && $0.offset >= offset }) {
                return found
            }
        }
        return nil
    }
}
