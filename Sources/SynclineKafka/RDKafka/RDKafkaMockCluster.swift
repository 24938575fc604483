import CRdKafka
import Logging

/// librdkafka's mock cluster (`rdkafka_mock.h`): real Kafka protocol on loopback, with fault injection.
final class RDKafkaMockCluster: @unchecked Sendable {
    private let owner: RDKafkaHandle
    private let cluster: OpaquePointer
    let bootstrapServers: String

    init(brokers: Int, logger: Logger) throws(KafkaError) {
        // The mock cluster needs an rd_kafka_t for its bookkeeping; a bare producer serves.
        var config = KafkaConfig(bootstrapServers: "", properties: ["client.id": "syncline-embedded-cluster"])
        config["bootstrap.servers"] = nil
        owner = try RDKafkaHandle(kind: .producer, config: config, callbacks: RDKafkaCallbacks(logger: logger))
        guard let cluster = rd_kafka_mock_cluster_new(owner.pointer, Int32(brokers)) else {
            owner.destroy()
            throw KafkaError.client("cannot start the embedded Kafka cluster")
        }
        self.cluster = cluster
        bootstrapServers = rd_kafka_mock_cluster_bootstraps(cluster).map { String(cString: $0) } ?? ""
    }

    func createTopic(_ name: String, partitions: Int, replicationFactor: Int) throws(KafkaError) {
        let err = rd_kafka_mock_topic_create(cluster, name, Int32(partitions), Int32(replicationFactor))
        if err != RD_KAFKA_RESP_ERR_NO_ERROR { throw RDKafkaError.from(err, message: "cannot create topic \(name)") }
    }

    func setBroker(_ id: Int32, up: Bool) {
        if up {
            _ = rd_kafka_mock_broker_set_up(cluster, id)
        } else {
            _ = rd_kafka_mock_broker_set_down(cluster, id)
        }
    }

    func setRoundTripTime(broker: Int32, milliseconds: Int32) {
        _ = rd_kafka_mock_broker_set_rtt(cluster, broker, milliseconds)
    }

    func pushRequestErrors(apiKey: Int16, errorNames: [String]) throws(KafkaError) {
        var codes: [rd_kafka_resp_err_t] = []
        for name in errorNames {
            guard let code = Self.code(named: name) else { throw KafkaError.client("unknown Kafka error name \(name)") }
            codes.append(code)
        }
        rd_kafka_mock_push_request_errors_array(cluster, apiKey, codes.count, codes)
    }

    func clearRequestErrors(apiKey: Int16) {
        rd_kafka_mock_clear_request_errors(cluster, apiKey)
    }

    func setTopicError(_ topic: String, errorName: String?) throws(KafkaError) {
        var code = RD_KAFKA_RESP_ERR_NO_ERROR
        if let errorName {
            guard let found = Self.code(named: errorName) else { throw KafkaError.client("unknown Kafka error name \(errorName)") }
            code = found
        }
        rd_kafka_mock_topic_set_error(cluster, topic, code)
    }

    func setPartitionLeader(topic: String, partition: Int32, broker: Int32) {
        _ = rd_kafka_mock_partition_set_leader(cluster, topic, partition, broker)
    }

    func setGroupCoordinator(group: String, broker: Int32) {
        _ = rd_kafka_mock_coordinator_set(cluster, "group", group, broker)
    }

    /// Looks a librdkafka error up by its symbolic name (e.g. `NOT_LEADER_FOR_PARTITION`).
    static func code(named name: String) -> rd_kafka_resp_err_t? {
        var descriptions: UnsafePointer<rd_kafka_err_desc>?
        var count = 0
        rd_kafka_get_err_descs(&descriptions, &count)
        guard let descriptions else { return nil }
        for index in 0..<count {
            let description = descriptions[index]
            if let descriptionName = description.name, String(cString: descriptionName) == name {
                return description.code
            }
        }
        return nil
    }

    func destroy() {
        rd_kafka_mock_cluster_destroy(cluster)
        owner.destroy()
    }
}
