import CRdKafka

extension RDKafkaConsumerCore {
    /// The broker's answer to ListOffsets by timestamp: per partition the earliest offset whose
    /// record timestamp is at or after `timestampMs`, -1 when the broker knows none (or, like
    /// librdkafka 2.0.2's mock cluster, does not implement the lookup).
    func offsetsForTimes(topic: String, partitions: [Int32], timestampMs: Int64, timeoutMs: Int32) throws(KafkaError) -> [Int32: Int64] {
        let requests = partitions.map { TopicPartition(topic: topic, partition: $0, offset: timestampMs) }
        return try RDKafkaTopicPartitionList.with(requests) { list throws(KafkaError) in
            let err = rd_kafka_offsets_for_times(handle.pointer, list, timeoutMs)
            if err != RD_KAFKA_RESP_ERR_NO_ERROR { throw RDKafkaError.from(err) }
            var answer: [Int32: Int64] = [:]
            for partition in RDKafkaTopicPartitionList.read(list) { answer[partition.partition] = partition.offset ?? -1 }
            return answer
        }
    }
}
