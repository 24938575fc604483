import CRdKafka
import Logging

/// CreateTopics and metadata over a short-lived producer handle.
final class RDKafkaAdminCore: @unchecked Sendable {
    let handle: RDKafkaHandle

    init(config: KafkaConfig, logger: Logger) throws(KafkaError) {
        handle = try RDKafkaHandle(kind: .producer, config: config, callbacks: RDKafkaCallbacks(logger: logger))
    }

    /// Creates topics; answers one result per topic: nil when created, else the error (`TOPIC_ALREADY_EXISTS` …).
    func createTopics(
        _ topics: [(name: String, partitions: Int, replicationFactor: Int, config: [(String, String)])],
        timeoutMs: Int32
    ) throws(KafkaError) -> [String: KafkaError?] {
        guard !topics.isEmpty else { return [:] }
        var errorText = [CChar](repeating: 0, count: 512)
        var newTopics: [OpaquePointer?] = []
        defer { for topic in newTopics { rd_kafka_NewTopic_destroy(topic) } }
        for topic in topics {
            guard let newTopic = rd_kafka_NewTopic_new(topic.name, Int32(topic.partitions), Int32(topic.replicationFactor), &errorText, errorText.count) else {
                throw KafkaError.client("topic \(topic.name): \(RDKafkaHandle.text(errorText))")
            }
            newTopics.append(newTopic)
            for (key, value) in topic.config {
                let err = rd_kafka_NewTopic_set_config(newTopic, key, value)
                if err != RD_KAFKA_RESP_ERR_NO_ERROR { throw RDKafkaError.from(err, message: "topic \(topic.name) config \(key)") }
            }
        }
        guard let queue = rd_kafka_queue_new(handle.pointer) else { throw KafkaError.client("cannot create a queue") }
        defer { rd_kafka_queue_destroy(queue) }
        let options = rd_kafka_AdminOptions_new(handle.pointer, RD_KAFKA_ADMIN_OP_CREATETOPICS)
        defer { rd_kafka_AdminOptions_destroy(options) }
        _ = rd_kafka_AdminOptions_set_operation_timeout(options, timeoutMs, &errorText, errorText.count)
        _ = rd_kafka_AdminOptions_set_request_timeout(options, timeoutMs, &errorText, errorText.count)
        newTopics.withUnsafeMutableBufferPointer { buffer in
            rd_kafka_CreateTopics(handle.pointer, buffer.baseAddress, buffer.count, options, queue)
        }
        guard let event = rd_kafka_queue_poll(queue, timeoutMs + 1000) else {
            throw KafkaError(code: RD_KAFKA_RESP_ERR__TIMED_OUT.rawValue, name: "_TIMED_OUT", message: "CreateTopics timed out", isRetriable: true)
        }
        defer { rd_kafka_event_destroy(event) }
        let eventError = rd_kafka_event_error(event)
        if eventError != RD_KAFKA_RESP_ERR_NO_ERROR {
            let text = rd_kafka_event_error_string(event).map { String(cString: $0) }
            throw RDKafkaError.from(eventError, message: text)
        }
        guard let result = rd_kafka_event_CreateTopics_result(event) else { throw KafkaError.client("no CreateTopics result") }
        var count = 0
        guard let results = rd_kafka_CreateTopics_result_topics(result, &count) else { return [:] }
        var answer: [String: KafkaError?] = [:]
        for index in 0..<count {
            guard let topicResult = results[index] else { continue }
            let name = rd_kafka_topic_result_name(topicResult).map { String(cString: $0) } ?? ""
            let err = rd_kafka_topic_result_error(topicResult)
            let text = rd_kafka_topic_result_error_string(topicResult).map { String(cString: $0) }
            answer[name] = err == RD_KAFKA_RESP_ERR_NO_ERROR ? nil : RDKafkaError.from(err, message: text)
        }
        return answer
    }

    /// Every topic the cluster knows, with its partition count.
    func topicPartitionCounts(timeoutMs: Int32) throws(KafkaError) -> [String: Int] {
        var metadata: UnsafePointer<rd_kafka_metadata>?
        let err = rd_kafka_metadata(handle.pointer, 1, nil, &metadata, timeoutMs)
        if err != RD_KAFKA_RESP_ERR_NO_ERROR { throw RDKafkaError.from(err) }
        guard let metadata else { return [:] }
        defer { rd_kafka_metadata_destroy(metadata) }
        var result: [String: Int] = [:]
        for index in 0..<Int(metadata.pointee.topic_cnt) {
            guard let topic = metadata.pointee.topics?[index] else { continue }
            guard topic.err == RD_KAFKA_RESP_ERR_NO_ERROR, let name = topic.topic else { continue }
            result[String(cString: name)] = Int(topic.partition_cnt)
        }
        return result
    }

    func destroy() { handle.destroy() }
}
