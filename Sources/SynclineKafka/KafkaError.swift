/// A librdkafka error surfaced to Swift: librdkafka's code and name, its text, and whether a
/// retry can help. Every client call that fails throws one of these.
public struct KafkaError: Error, Sendable, Equatable, CustomStringConvertible {
    /// librdkafka's `rd_kafka_resp_err_t` value (negative: client-side, positive: broker error codes).
    public var code: Int32
    /// librdkafka's symbolic name without the `RD_KAFKA_RESP_ERR_` prefix, e.g. `MSG_SIZE_TOO_LARGE`.
    public var name: String
    public var message: String
    public var isRetriable: Bool
    public var isFatal: Bool

    public init(code: Int32, name: String, message: String, isRetriable: Bool = false, isFatal: Bool = false) {
        self.code = code
        self.name = name
        self.message = message
        self.isRetriable = isRetriable
        self.isFatal = isFatal
    }

    /// A configuration or usage error raised by Syncline itself rather than librdkafka.
    public static func client(_ message: String) -> KafkaError {
        KafkaError(code: -1, name: "CLIENT", message: message)
    }

    /// The same error, marked fatal (the client instance cannot be used any more).
    public var fatal: KafkaError {
        var copy = self
        copy.isFatal = true
        return copy
    }

    public var description: String { "Kafka error \(name) (\(code)): \(message)" }

    /// Errors that a later retry of the same record cannot fix (the record must go to the DLQ).
    public var isPermanentForRecord: Bool {
        KafkaError.permanentRecordErrors.contains(name)
    }

    static let permanentRecordErrors: Set<String> = [
        "MSG_SIZE_TOO_LARGE", "INVALID_MSG", "INVALID_MSG_SIZE", "INVALID_RECORD", "RECORD_LIST_TOO_LARGE",
        "CORRUPT_MESSAGE", "INVALID_REQUIRED_ACKS", "TOPIC_AUTHORIZATION_FAILED", "TOPIC_EXCEPTION",
        "INVALID_TIMESTAMP", "BAD_MSG",
    ]
}
