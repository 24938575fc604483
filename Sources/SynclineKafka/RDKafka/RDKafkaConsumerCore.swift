import CRdKafka
import Foundation
import SynclineRecords

/// The librdkafka side of the consumer: subscription, batch polls, commits, pause/resume.
final class RDKafkaConsumerCore: @unchecked Sendable {
    let handle: RDKafkaHandle
    private let queue: OpaquePointer
    /// Where the results of `commitAsync` arrive, as offset-commit events.
    private let commitQueue: OpaquePointer
    private var batch: [UnsafeMutablePointer<rd_kafka_message_t>?]
    /// Wakes the broker threads after the consumer queue was full (nil: off).
    private let waker: RDKafkaFetchWaker?
    /// The topic handle and name of the last record read (names are made once per run of a topic).
    private var lastTopic: (handle: OpaquePointer?, name: String) = (nil, "")

    /// - Parameter prefetch: the consumer queue's limits (`queued.min.messages`,
    ///   `queued.max.messages.kbytes`) for the fetch waker; nil leaves it off.
    init(handle: RDKafkaHandle, prefetch: (records: Int, kilobytes: Int)? = nil) throws(KafkaError) {
        self.handle = handle
        let err = rd_kafka_poll_set_consumer(handle.pointer)
        if err != RD_KAFKA_RESP_ERR_NO_ERROR { throw RDKafkaError.from(err) }
        guard let queue = rd_kafka_queue_get_consumer(handle.pointer) else {
            throw KafkaError.client("no consumer queue (is group.id set?)")
        }
        guard let commitQueue = rd_kafka_queue_new(handle.pointer) else {
            rd_kafka_queue_destroy(queue)
            throw KafkaError.client("cannot create the commit result queue")
        }
        self.queue = queue
        self.commitQueue = commitQueue
        self.batch = []
        self.waker = prefetch.map { RDKafkaFetchWaker(handle: handle, limitRecords: $0.records, limitKilobytes: $0.kilobytes) }
    }

    /// ListOffsets wake-ups sent to keep fetching going (see `RDKafkaFetchWaker`).
    var fetchWakeups: Int { waker?.sent.load(ordering: .relaxed) ?? 0 }

    /// Wakes `wakeup` when records, rebalances or commit results arrive.
    func enableWakeup(_ wakeup: KafkaWakeup) {
        wakeup.register(queue: queue)
        wakeup.register(queue: commitQueue)
    }

    /// Sends an offset commit without waiting; its outcome arrives through `commitResults`.
    func commitAsync(_ offsets: [TopicPartition]) throws(KafkaError) {
        guard !offsets.isEmpty else { return }
        try RDKafkaTopicPartitionList.with(offsets) { list throws(KafkaError) in
            let err = rd_kafka_commit_queue(handle.pointer, list, commitQueue, nil, nil)
            if err != RD_KAFKA_RESP_ERR_NO_ERROR && err != RD_KAFKA_RESP_ERR__NO_OFFSET { throw RDKafkaError.from(err) }
        }
    }

    /// The outcomes of earlier `commitAsync` calls, per partition, waiting up to `timeoutMs` for the first.
    func commitResults(timeoutMs: Int32) -> [CommitOutcome] {
        var outcomes: [CommitOutcome] = []
        var wait = timeoutMs
        while let event = rd_kafka_queue_poll(commitQueue, Int32(wait)) {
            wait = 0
            defer { rd_kafka_event_destroy(event) }
            guard rd_kafka_event_type(event) == RD_KAFKA_EVENT_OFFSET_COMMIT else { continue }
            let overall = rd_kafka_event_error(event)
            guard let list = rd_kafka_event_topic_partition_list(event) else { continue }
            let count = Int(list.pointee.cnt)
            guard count > 0, let elements = list.pointee.elems else { continue }
            for index in 0..<count {
                let element = elements[index]
                let err = element.err != RD_KAFKA_RESP_ERR_NO_ERROR ? element.err : overall
                let topic = element.topic.map { String(cString: $0) } ?? ""
                outcomes.append(CommitOutcome(
                    partition: TopicPartition(topic: topic, partition: element.partition, offset: element.offset >= 0 ? element.offset : nil),
                    error: err == RD_KAFKA_RESP_ERR_NO_ERROR ? nil : RDKafkaError.from(err)))
            }
        }
        return outcomes
    }

    func subscribe(_ topics: [String]) throws(KafkaError) {
        let list = RDKafkaTopicPartitionList.make(topics.map { TopicPartition(topic: $0, partition: RD_KAFKA_PARTITION_UA) })
        defer { rd_kafka_topic_partition_list_destroy(list) }
        let err = rd_kafka_subscribe(handle.pointer, list)
        if err != RD_KAFKA_RESP_ERR_NO_ERROR { throw RDKafkaError.from(err) }
    }

    func assign(_ partitions: [TopicPartition]) throws(KafkaError) {
        try RDKafkaTopicPartitionList.with(partitions) { list throws(KafkaError) in
            let err = rd_kafka_assign(handle.pointer, list)
            if err != RD_KAFKA_RESP_ERR_NO_ERROR { throw RDKafkaError.from(err) }
        }
    }

    /// Blocks up to `timeoutMs` for up to `max` records. Consumer errors other than
    /// end-of-partition are returned separately. Serves rebalance callbacks.
    func poll(max: Int, timeoutMs: Int32, errors: inout [KafkaError]) -> [InputRecord] {
        if batch.count < max { batch = Array(repeating: nil, count: max) }
        let count = batch.withUnsafeMutableBufferPointer { buffer in
            rd_kafka_consume_batch_queue(queue, timeoutMs, buffer.baseAddress, max)
        }
        guard count > 0 else { return [] }
        var records: [InputRecord] = []
        records.reserveCapacity(count)
        var bytes = 0
        for index in 0..<count {
            guard let message = batch[index] else { continue }
            defer { rd_kafka_message_destroy(message) }
            if message.pointee.err != RD_KAFKA_RESP_ERR_NO_ERROR {
                if message.pointee.err != RD_KAFKA_RESP_ERR__PARTITION_EOF {
                    let text = rd_kafka_message_errstr(message).map { String(cString: $0) }
                    errors.append(RDKafkaError.from(message.pointee.err, message: text))
                }
                continue
            }
            bytes &+= message.pointee.len
            records.append(record(message))
        }
        waker?.observe(records: records.count, bytes: bytes, queued: Int(rd_kafka_queue_length(queue)))
        return records
    }

    func record(_ message: UnsafeMutablePointer<rd_kafka_message_t>) -> InputRecord {
        let m = message.pointee
        let topic = topicName(m.rkt)
        let key = m.key.map { Array(UnsafeRawBufferPointer(start: $0, count: m.key_len)) }
        let value = m.payload.map { Array(UnsafeRawBufferPointer(start: $0, count: m.len)) }
        var headers: [RecordHeader] = []
        var hdrs: OpaquePointer?
        if rd_kafka_message_headers(message, &hdrs) == RD_KAFKA_RESP_ERR_NO_ERROR, let hdrs {
            var index = 0
            var name: UnsafePointer<CChar>?
            var pointer: UnsafeRawPointer?
            var size = 0
            while rd_kafka_header_get_all(hdrs, index, &name, &pointer, &size) == RD_KAFKA_RESP_ERR_NO_ERROR {
                let headerName = name.map { String(cString: $0) } ?? ""
                let headerValue = pointer.map { Array(UnsafeRawBufferPointer(start: $0, count: size)) }
                headers.append(RecordHeader(name: headerName, value: headerValue))
                index += 1
            }
        }
        var timestampType = RD_KAFKA_TIMESTAMP_NOT_AVAILABLE
        let timestamp = rd_kafka_message_timestamp(message, &timestampType)
        return InputRecord(
            topic: topic, partition: m.partition, offset: m.offset, key: key, value: value, headers: headers,
            timestampMs: timestamp >= 0 ? timestamp : nil)
    }

    /// The record's topic name: the last one made, when the handle and its bytes are the same.
    @inline(__always)
    private func topicName(_ rkt: OpaquePointer?) -> String {
        guard let rkt, let cName = rd_kafka_topic_name(rkt) else { return "" }
        if rkt == lastTopic.handle {
            let length = strlen(cName)
            let same = lastTopic.name.utf8.withContiguousStorageIfAvailable { utf8 in
                guard utf8.count == length else { return false }
                guard let base = utf8.baseAddress else { return length == 0 }
                return memcmp(base, cName, length) == 0
            }
            if same == true { return lastTopic.name }
        }
        lastTopic = (rkt, String(cString: cName))
        return lastTopic.name
    }

    func commit(_ offsets: [TopicPartition], asynchronous: Bool) throws(KafkaError) {
        guard !offsets.isEmpty else { return }
        try RDKafkaTopicPartitionList.with(offsets) { list throws(KafkaError) in
            let err = rd_kafka_commit(handle.pointer, list, asynchronous ? 1 : 0)
            if err != RD_KAFKA_RESP_ERR_NO_ERROR && err != RD_KAFKA_RESP_ERR__NO_OFFSET { throw RDKafkaError.from(err) }
        }
    }

    func committed(_ partitions: [TopicPartition], timeoutMs: Int32) throws(KafkaError) -> [TopicPartition] {
        try RDKafkaTopicPartitionList.with(partitions) { list throws(KafkaError) in
            let err = rd_kafka_committed(handle.pointer, list, timeoutMs)
            if err != RD_KAFKA_RESP_ERR_NO_ERROR { throw RDKafkaError.from(err) }
            return RDKafkaTopicPartitionList.read(list)
        }
    }

    func pause(_ partitions: [TopicPartition]) throws(KafkaError) {
        try RDKafkaTopicPartitionList.with(partitions) { list throws(KafkaError) in
            let err = rd_kafka_pause_partitions(handle.pointer, list)
            if err != RD_KAFKA_RESP_ERR_NO_ERROR { throw RDKafkaError.from(err) }
        }
    }

    func resume(_ partitions: [TopicPartition]) throws(KafkaError) {
        try RDKafkaTopicPartitionList.with(partitions) { list throws(KafkaError) in
            let err = rd_kafka_resume_partitions(handle.pointer, list)
            if err != RD_KAFKA_RESP_ERR_NO_ERROR { throw RDKafkaError.from(err) }
        }
    }

    func assignment() -> [TopicPartition] {
        var list: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?
        guard rd_kafka_assignment(handle.pointer, &list) == RD_KAFKA_RESP_ERR_NO_ERROR, let list else { return [] }
        defer { rd_kafka_topic_partition_list_destroy(list) }
        return RDKafkaTopicPartitionList.read(list)
    }

    func watermarks(topic: String, partition: Int32, timeoutMs: Int32) throws(KafkaError) -> (low: Int64, high: Int64) {
        var low: Int64 = 0
        var high: Int64 = 0
        let err = rd_kafka_query_watermark_offsets(handle.pointer, topic, partition, &low, &high, timeoutMs)
        if err != RD_KAFKA_RESP_ERR_NO_ERROR { throw RDKafkaError.from(err) }
        return (low, high)
    }

    /// The high watermark librdkafka last saw in a fetch response (no broker round trip).
    func cachedHighWatermark(topic: String, partition: Int32) -> Int64? {
        cachedWatermarks(topic: topic, partition: partition).high
    }

    /// Log start (low) and end (high) offsets from the last fetch response, each nil when unknown.
    func cachedWatermarks(topic: String, partition: Int32) -> (low: Int64?, high: Int64?) {
        var low: Int64 = -1
        var high: Int64 = -1
        let err = rd_kafka_get_watermark_offsets(handle.pointer, topic, partition, &low, &high)
        guard err == RD_KAFKA_RESP_ERR_NO_ERROR else { return (nil, nil) }
        return (low >= 0 ? low : nil, high >= 0 ? high : nil)
    }

    /// Leaves the group (revoking partitions through the rebalance callback) and destroys the handle.
    func close() {
        waker?.stop()
        rd_kafka_queue_destroy(commitQueue)
        rd_kafka_queue_destroy(queue)
        _ = rd_kafka_consumer_close(handle.pointer)
        handle.destroy()
    }

    /// Destroys the handle without leaving the group or committing: what a crash looks like to the brokers.
    func abandon() {
        waker?.stop()
        rd_kafka_queue_destroy(commitQueue)
        rd_kafka_queue_destroy(queue)
        handle.destroy(noConsumerClose: true)
    }
}
