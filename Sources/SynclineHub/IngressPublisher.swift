public import Logging
public import ServiceLifecycle
public import SynclineAdmin
public import SynclineMapping
public import SynclineKafka
import SynclineSecurity
import Foundation
import Synchronization

/// The hub side of the webhook ingress: publishes accepted bodies with an idempotent producer
/// (acks=all) and reports success only on the brokers' acknowledgement. Each distinct
/// `delivery_timeout_ms` gets its own producer whose `message.timeout.ms` is that timeout, so a
/// record the brokers did not take in time is dropped by librdkafka before the caller hears 503:
/// a refused request is never stored later behind the sender's back.
public final class IngressPublisher: IngressSink, Service, Sendable {
    private let producers: Mutex<[Int: KafkaProducer]>
    private let kafka: KafkaConfig
    private let metrics: HubMetrics
    private let logger: Logger

    /// - Parameter timeoutsMs: the delivery timeouts in use (a producer is made for each up front).
    public init(kafka: KafkaConfig, timeoutsMs: Set<Int>, metrics: HubMetrics, logger: Logger) throws(KafkaError) {
        self.kafka = kafka
        self.metrics = metrics
        self.logger = logger
        var made: [Int: KafkaProducer] = [:]
        for timeout in timeoutsMs {
            made[timeout] = try Self.makeProducer(kafka: kafka, timeoutMs: timeout, logger: logger)
        }
        producers = Mutex(made)
    }

    static func makeProducer(kafka: KafkaConfig, timeoutMs: Int, logger: Logger) throws(KafkaError) -> KafkaProducer {
        let config = kafka.with([
            "message.timeout.ms": String(timeoutMs),
            "request.timeout.ms": String(min(timeoutMs, 30_000)),
            "linger.ms": "1",
            "client.id": "syncline-ingress",
        ])
        let producer = try KafkaProducer(config: config, logger: logger)
        producer.startBackgroundPolling()
        return producer
    }

    public func publish(_ record: OutputRecord, timeoutMs: Int) async throws -> IngressReceipt {
        let producer = try producers.withLock { producers throws(KafkaError) -> KafkaProducer in
            if let existing = producers[timeoutMs] { return existing }
            let made = try Self.makeProducer(kafka: kafka, timeoutMs: timeoutMs, logger: logger)
            producers[timeoutMs] = made
            return made
        }
        do {
            let report = try await producer.send(record)
            return IngressReceipt(topic: report.topic, partition: report.partition, offset: report.offset)
        } catch let error as KafkaError where error.isFatal {
            // A fatal producer error (e.g. the idempotence state is lost) needs a fresh producer.
            logger.error("ingress producer failed fatally; replacing it", metadata: ["error": "\(error)"])
            producers.withLock { producers in
                if producers[timeoutMs] === producer { producers[timeoutMs] = nil }
            }
            producer.abandon()
            throw error
        }
    }

    public func count(_ metric: String, _ labels: [String: String]) {
        metrics.increment(metric, labels)
    }

    /// Runs until graceful shutdown (after the admin server stopped taking requests), then flushes and closes.
    public func run() async throws {
        try? await gracefulShutdown()
        let all = producers.withLock { producers -> [KafkaProducer] in
            defer { producers = [:] }
            return Array(producers.values)
        }
        for producer in all { producer.close(flushTimeoutMs: 10_000) }
    }

    /// The ingress for these connectors (nil when none declares `ingress:`): the publisher to run as
    /// a service and the routes to mount. Secrets are read from `environment` and registered with
    /// the log masker; a connector whose secret is missing answers 503 `not_configured` (logged by
    /// variable name, never value).
    public static func assemble(
        specs: [ConnectorSpec], kafka: KafkaConfig, metrics: HubMetrics, logger: Logger,
        environment: [String: String]? = nil
    ) throws(KafkaError) -> (publisher: IngressPublisher, routes: IngressRoutes)? {
        let environment = environment ?? ProcessInfo.processInfo.environment
        let endpoints = specs.compactMap { IngressEndpoint(connector: $0, environment: environment) }
        guard !endpoints.isEmpty else { return nil }
        for endpoint in endpoints {
            PIIMasker.registerSecrets(IngressEndpoint.secrets(of: endpoint.ingress, environment: environment))
            if case .failure = endpoint.verifier {
                let names = endpoint.requiredVariables.joined(separator: ", ")
                logger.error("ingress for \(endpoint.connector.name) is not configured: set \(names) in the environment; requests get 503 until then")
            }
            let name = endpoint.connector.name
            metrics.increment(MetricNames.ingressRequests, ["connector": name, "status": "200"], by: 0)
            for reason in WebhookRejection.allCases where reason != .unknownConnector {
                metrics.increment(MetricNames.ingressRejected, ["connector": name, "reason": reason.rawValue], by: 0)
            }
        }
        let publisher = try IngressPublisher(
            kafka: kafka, timeoutsMs: Set(endpoints.map(\.ingress.deliveryTimeoutMs)), metrics: metrics, logger: logger)
        return (publisher, IngressRoutes(endpoints: endpoints, sink: publisher))
    }
}
