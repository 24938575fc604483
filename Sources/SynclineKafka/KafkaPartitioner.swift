/// Where a keyed record lands: the partitions a producer would choose for `key` — librdkafka's
/// default (CRC32) and the Java client's (murmur2) — so a tool can read just those.
public enum KafkaPartitioner {
    public static func candidates(key: [UInt8], partitions: Int) -> [Int32] {
        guard partitions > 0 else { return [] }
        let count = Int32(clamping: partitions)
        let found = [RDKafkaPartitioner.crc32(key: key, partitions: count), RDKafkaPartitioner.murmur2(key: key, partitions: count)]
        return Array(Set(found.filter { $0 >= 0 && $0 < count })).sorted()
    }
}
