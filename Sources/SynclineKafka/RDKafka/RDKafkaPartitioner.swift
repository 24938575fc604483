import CRdKafka

/// librdkafka's own key partitioners, computed without a client: CRC32 (its default,
/// `consistent_random`, for keyed records) and murmur2 (the Java client's default).
enum RDKafkaPartitioner {
    static func crc32(key: [UInt8], partitions: Int32) -> Int32 {
        key.withUnsafeBytes { rd_kafka_msg_partitioner_consistent(nil, $0.baseAddress, key.count, partitions, nil, nil) }
    }

    static func murmur2(key: [UInt8], partitions: Int32) -> Int32 {
        key.withUnsafeBytes { rd_kafka_msg_partitioner_murmur2(nil, $0.baseAddress, key.count, partitions, nil, nil) }
    }
}
