import CRdKafka

/// Conversions from librdkafka's error values to `KafkaError` (the only place they are read).
enum RDKafkaError {
    static func from(_ err: rd_kafka_resp_err_t, message: String? = nil) -> KafkaError {
        let name = rd_kafka_err2name(err).map { String(cString: $0) } ?? "UNKNOWN"
        let text = message ?? (rd_kafka_err2str(err).map { String(cString: $0) } ?? "unknown error")
        return KafkaError(code: err.rawValue, name: name, message: text, isRetriable: isRetriable(err))
    }

    /// Takes ownership of an `rd_kafka_error_t` and destroys it.
    static func consume(_ error: OpaquePointer) -> KafkaError {
        defer { rd_kafka_error_destroy(error) }
        let code = rd_kafka_error_code(error)
        let name = rd_kafka_error_name(error).map { String(cString: $0) } ?? "UNKNOWN"
        let text = rd_kafka_error_string(error).map { String(cString: $0) } ?? ""
        return KafkaError(
            code: code.rawValue, name: name, message: text,
            isRetriable: rd_kafka_error_is_retriable(error) != 0 || isRetriable(code),
            isFatal: rd_kafka_error_is_fatal(error) != 0)
    }

    static func isRetriable(_ err: rd_kafka_resp_err_t) -> Bool {
        switch err {
        case RD_KAFKA_RESP_ERR__QUEUE_FULL, RD_KAFKA_RESP_ERR__TIMED_OUT, RD_KAFKA_RESP_ERR__MSG_TIMED_OUT,
            RD_KAFKA_RESP_ERR__TRANSPORT, RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN,
            RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT, RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION,
            RD_KAFKA_RESP_ERR_LEADER_NOT_AVAILABLE, RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS,
            RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS_AFTER_APPEND, RD_KAFKA_RESP_ERR_BROKER_NOT_AVAILABLE,
            RD_KAFKA_RESP_ERR_NETWORK_EXCEPTION, RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART,
            RD_KAFKA_RESP_ERR_THROTTLING_QUOTA_EXCEEDED, RD_KAFKA_RESP_ERR__PURGE_QUEUE,
            RD_KAFKA_RESP_ERR__PURGE_INFLIGHT, RD_KAFKA_RESP_ERR_KAFKA_STORAGE_ERROR,
            RD_KAFKA_RESP_ERR_COORDINATOR_NOT_AVAILABLE, RD_KAFKA_RESP_ERR_NOT_COORDINATOR,
            RD_KAFKA_RESP_ERR_COORDINATOR_LOAD_IN_PROGRESS:
            return true
        default:
            return false
        }
    }
}
