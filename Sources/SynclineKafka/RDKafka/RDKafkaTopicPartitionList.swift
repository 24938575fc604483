import CRdKafka

/// Reads and builds `rd_kafka_topic_partition_list_t` values.
enum RDKafkaTopicPartitionList {
    static func read(_ list: UnsafePointer<rd_kafka_topic_partition_list_t>) -> [TopicPartition] {
        let count = Int(list.pointee.cnt)
        guard count > 0, let elements = list.pointee.elems else { return [] }
        return (0..<count).map { index in
            let element = elements[index]
            let topic = element.topic.map { String(cString: $0) } ?? ""
            return TopicPartition(topic: topic, partition: element.partition, offset: element.offset)
        }
    }

    static func read(_ list: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>) -> [TopicPartition] {
        read(UnsafePointer(list))
    }

    /// Builds a list; the caller destroys it with `rd_kafka_topic_partition_list_destroy`.
    static func make(_ partitions: [TopicPartition]) -> UnsafeMutablePointer<rd_kafka_topic_partition_list_t> {
        let list = rd_kafka_topic_partition_list_new(Int32(max(partitions.count, 1)))!
        for partition in partitions {
            let element = rd_kafka_topic_partition_list_add(list, partition.topic, partition.partition)
            if let offset = partition.offset { element?.pointee.offset = offset }
        }
        return list
    }

    static func with<T>(_ partitions: [TopicPartition], _ body: (UnsafeMutablePointer<rd_kafka_topic_partition_list_t>) throws(KafkaError) -> T) throws(KafkaError) -> T {
        let list = make(partitions)
        defer { rd_kafka_topic_partition_list_destroy(list) }
        return try body(list)
    }
}
