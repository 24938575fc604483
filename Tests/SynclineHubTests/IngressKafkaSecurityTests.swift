import Foundation
import Logging
import SynclineMapping
import SynclineKafka
import SynclineSecurity
import Testing

@Suite("Kafka security settings pass through to librdkafka; their secrets stay out of logs")
struct IngressKafkaSecurityTests {
    /// The README's SASL_SSL example, as environment variables.
    static let saslSSL = [
        "SYNCLINE_KAFKA_SECURITY_PROTOCOL": "SASL_SSL",
        "SYNCLINE_KAFKA_SASL_MECHANISMS": "SCRAM-SHA-512",
        "SYNCLINE_KAFKA_SASL_USERNAME": "syncline",
        "SYNCLINE_KAFKA_SASL_PASSWORD": "pa55-\(UUID().uuidString)",
        "SYNCLINE_KAFKA_SSL_ENDPOINT_IDENTIFICATION_ALGORITHM": "https",
        "SYNCLINE_ADMIN_TOKEN": "not-a-kafka-setting",
    ]

    @Test("SYNCLINE_KAFKA_* variables become librdkafka properties; other variables do not")
    func environmentMapping() {
        let properties = KafkaConfig.environmentProperties(Self.saslSSL)
        #expect(properties["security.protocol"] == "SASL_SSL")
        #expect(properties["sasl.mechanisms"] == "SCRAM-SHA-512")
        #expect(properties["sasl.username"] == "syncline")
        #expect(properties["sasl.password"] == Self.saslSSL["SYNCLINE_KAFKA_SASL_PASSWORD"])
        #expect(properties["ssl.endpoint.identification.algorithm"] == "https")
        #expect(properties.count == 5)
    }

    @Test("librdkafka accepts the SASL_SSL settings (built with SSL and SASL/SCRAM); the password is redacted in logs")
    func librdkafkaAcceptsSASLSSL() throws {
        var properties = KafkaConfig.environmentProperties(Self.saslSSL)
        let bundle = "/etc/ssl/certs/ca-certificates.crt"
        if FileManager.default.fileExists(atPath: bundle) { properties["ssl.ca.location"] = bundle }
        let lines = LogLines()
        var logger = Logger(label: "kafka-security") { _ in MaskingLogHandler(wrapping: LineCollector(sink: lines)) }
        logger.logLevel = .debug
        PIIMasker.registerSecrets(LogSecrets.values(in: Self.saslSSL))
        // Nothing listens on port 1 of loopback: the client is configured, never connected.
        let producer = try KafkaProducer(config: KafkaConfig(bootstrapServers: "127.0.0.1:1", properties: properties), logger: logger)
        producer.close(flushTimeoutMs: 0)
        let config = KafkaConfig(bootstrapServers: "127.0.0.1:1", properties: properties)
        logger.info("kafka client config: \(config)")
        let password = Self.saslSSL["SYNCLINE_KAFKA_SASL_PASSWORD"] ?? ""
        #expect(!lines.lines.joined().contains(password))
        #expect(lines.lines.joined().contains("[redacted]"))
    }
}
