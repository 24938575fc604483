extension KafkaConsumer {
    /// ListOffsets by timestamp, as the broker answers it: per partition the earliest offset with a
    /// record timestamp at or after `timestampMs`, or -1 (no such record, or a broker that does not
    /// implement the lookup — librdkafka 2.0.2's mock cluster). `KafkaOffsetSeeker` tells them apart.
    public func offsetsForTimes(topic: String, partitions: [Int32], timestampMs: Int64, timeoutMs: Int32 = 5_000) throws(KafkaError) -> [Int32: Int64] {
        try core.offsetsForTimes(topic: topic, partitions: partitions, timestampMs: timestampMs, timeoutMs: timeoutMs)
    }
}
