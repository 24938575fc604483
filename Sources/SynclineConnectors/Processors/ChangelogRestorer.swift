public import Logging
public import SynclineKafka
public import SynclineRuntime
import Foundation

/// Restores a stateful connector's partitions from its changelog (`hub.state.<connector>.v1`):
/// reads the partition with the input partition's number from its start to its end offset, keeps
/// the last value of each key (a tombstone deletes it: the embedded cluster does not compact, a
/// real cluster may not have compacted yet), and hands the survivors to the cache, which replaces
/// what it had for that partition. The local SQLite is only a cache: what it kept from an earlier
/// run is dropped when the restorer is made, since its partitions may have moved (and the timed
/// emitter must not emit for partitions another instance owns now).
public final class ChangelogRestorer: PartitionStateRestorer {
    public let topic: String
    let reader: KafkaTopicReader
    let cache: any PartitionStateCache
    let logger: Logger

    public init(topic: String, kafka: KafkaConfig, cache: any PartitionStateCache, logger: Logger) {
        self.topic = topic
        self.reader = KafkaTopicReader(config: kafka, logger: logger)
        self.cache = cache
        self.logger = logger
        do {
            try cache.dropAll()
        } catch {
            logger.error("cannot drop the state cache of an earlier run (restores replace it partition by partition): \(error)")
        }
    }

    public func restore(partitions: [TopicPartition]) throws -> [PartitionRestore] {
        let start = ContinuousClock.now
        let numbers = partitions.map(\.partition)
        let read = try reader.readPartitions(topic: topic, partitions: numbers)
        let readSeconds = Self.seconds(since: start)
        var done: [PartitionRestore] = []
        for partition in numbers {
            let applyStart = ContinuousClock.now
            let records = read[partition] ?? []
            var latest: [String: [UInt8]] = [:]
            var order: [String] = []
            for record in records {
                guard let key = record.key.map({ String(decoding: $0, as: UTF8.self) }) else { continue }
                if latest[key] == nil { order.append(key) }
                latest[key] = record.value ?? []
            }
            let survivors = order.compactMap { key in latest[key].flatMap { $0.isEmpty ? nil : (key, $0) } }
            try cache.replace(partition: partition, with: survivors)
            // The read is shared by the partitions (one consumer): each is charged its share of it.
            let seconds = readSeconds / Double(max(1, numbers.count)) + Self.seconds(since: applyStart)
            done.append(PartitionRestore(partition: partition, records: records.count, keys: survivors.count, seconds: seconds))
        }
        return done
    }

    static func seconds(since start: ContinuousClock.Instant) -> Double {
        Double((ContinuousClock.now - start) / .microseconds(1)) / 1_000_000
    }

    public func release(partitions: [TopicPartition]) {
        do {
            try cache.drop(partitions: partitions.map(\.partition))
        } catch {
            // Kept rows are replaced at the next restore of these partitions; say so and go on.
            logger.error("cannot drop the state of revoked partitions: \(error)")
        }
    }
}
