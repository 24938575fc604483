import CRdKafka
import Logging
import Synchronization

/// Owns one `rd_kafka_t` (producer or consumer) and the callback box librdkafka calls back into.
/// All librdkafka pointer handling of the module lives in this folder.
final class RDKafkaHandle: @unchecked Sendable {
    enum Kind { case producer, consumer }

    let pointer: OpaquePointer
    let callbacks: RDKafkaCallbacks

    init(kind: Kind, config: KafkaConfig, callbacks: RDKafkaCallbacks) throws(KafkaError) {
        self.callbacks = callbacks
        let conf = try RDKafkaHandle.makeConf(config)
        rd_kafka_conf_set_opaque(conf, Unmanaged.passUnretained(callbacks).toOpaque())
        rd_kafka_conf_set_log_cb(conf) { rk, level, facility, message in
            guard let rk, let opaque = rd_kafka_opaque(rk) else { return }
            let box = Unmanaged<RDKafkaCallbacks>.fromOpaque(opaque).takeUnretainedValue()
            let facilityText = facility.map { String(cString: $0) } ?? ""
            let text = message.map { String(cString: $0) } ?? ""
            box.log(level: level, facility: facilityText, message: text)
        }
        rd_kafka_conf_set_error_cb(conf) { rk, err, reason, _ in
            guard let rk, let opaque = rd_kafka_opaque(rk) else { return }
            let box = Unmanaged<RDKafkaCallbacks>.fromOpaque(opaque).takeUnretainedValue()
            box.clientError(RDKafkaError.from(rd_kafka_resp_err_t(rawValue: err), message: reason.map { String(cString: $0) }))
        }
        if kind == .producer {
            // Delivery reports arrive as events on the main queue, many per event, served in batches
            // by `RDKafkaProducerCore.serve` (no C→Swift callback per record).
            rd_kafka_conf_set_events(conf, Int32(RD_KAFKA_EVENT_DR | RD_KAFKA_EVENT_ERROR))
        } else {
            rd_kafka_conf_set_rebalance_cb(conf) { rk, err, partitions, opaque in
                guard let rk else { return }
                let box = opaque.map { Unmanaged<RDKafkaCallbacks>.fromOpaque($0).takeUnretainedValue() }
                let list = partitions.map { RDKafkaTopicPartitionList.read($0) } ?? []
                if err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS {
                    let decision = box?.rebalance(.assigned(list)) ?? .consume
                    rd_kafka_assign(rk, partitions)
                    if decision == .assignPaused, let partitions { rd_kafka_pause_partitions(rk, partitions) }
                } else {
                    _ = box?.rebalance(.revoked(list))
                    rd_kafka_assign(rk, nil)
                }
            }
        }
        var errorText = [CChar](repeating: 0, count: 512)
        let type = kind == .producer ? RD_KAFKA_PRODUCER : RD_KAFKA_CONSUMER
        guard let rk = rd_kafka_new(type, conf, &errorText, errorText.count) else {
            rd_kafka_conf_destroy(conf)
            throw KafkaError.client("cannot create the Kafka client: \(RDKafkaHandle.text(errorText))")
        }
        self.pointer = rk
    }

    /// Destroys the handle. Consumers should be closed first (`rd_kafka_consumer_close`).
    func destroy(noConsumerClose: Bool = false) {
        if noConsumerClose {
            rd_kafka_destroy_flags(pointer, Int32(RD_KAFKA_DESTROY_F_NO_CONSUMER_CLOSE))
        } else {
            rd_kafka_destroy(pointer)
        }
    }

    static func makeConf(_ config: KafkaConfig) throws(KafkaError) -> OpaquePointer {
        guard let conf = rd_kafka_conf_new() else { throw KafkaError.client("rd_kafka_conf_new failed") }
        var errorText = [CChar](repeating: 0, count: 512)
        for (key, value) in config.properties.sorted(by: { $0.key < $1.key }) {
            let result = rd_kafka_conf_set(conf, key, value, &errorText, errorText.count)
            if result != RD_KAFKA_CONF_OK {
                rd_kafka_conf_destroy(conf)
                throw KafkaError.client("invalid Kafka setting \(key): \(text(errorText))")
            }
        }
        return conf
    }

    static func text(_ buffer: [CChar]) -> String {
        buffer.withUnsafeBufferPointer { pointer in
            pointer.baseAddress.map { String(cString: $0) } ?? ""
        }
    }

}

/// Receives librdkafka's callbacks (on librdkafka's threads or the polling thread).
final class RDKafkaCallbacks: @unchecked Sendable {
    let logger: Logger
    let onRebalance: @Sendable (RebalanceEvent) -> AssignmentDecision

    init(logger: Logger, onRebalance: @escaping @Sendable (RebalanceEvent) -> AssignmentDecision = { _ in .consume }) {
        self.logger = logger
        self.onRebalance = onRebalance
    }

    func rebalance(_ event: RebalanceEvent) -> AssignmentDecision { onRebalance(event) }

    func log(level: Int32, facility: String, message: String) {
        let swiftLevel: Logger.Level
        switch level {
        case ...3: swiftLevel = .error
        case 4: swiftLevel = .warning
        case 5, 6: swiftLevel = .info
        default: swiftLevel = .debug
        }
        logger.log(level: swiftLevel, "librdkafka \(facility): \(message)")
    }

    /// The first fatal error the client reported (an idempotent producer that was fenced, …).
    private let firstFatal = Mutex<KafkaError?>(nil)
    var fatal: KafkaError? { firstFatal.withLock { $0 } }

    func clientError(_ error: KafkaError) {
        if error.isFatal {
            firstFatal.withLock { if $0 == nil { $0 = error } }
            logger.error("Kafka client fatal error \(error.name): \(error.message)")
            return
        }
        logger.warning("Kafka client error \(error.name): \(error.message)")
    }
}
