public import Logging
public import SynclineMapping
public import SynclineKafka

/// Reads both sides of the reconciliation from Kafka, outside any consumer group: every CRM
/// payment on crm.payments.v1 (the newest record per payment id) and every finance booking on
/// crm.finance_receipts.v1 (the newest per receipt id). Blocking: call it off the cooperative pool.
public struct ReconciliationSource: Sendable {
    public let config: KafkaConfig
    public let catalog: TopicCatalog?
    public let logger: Logger

    public init(config: KafkaConfig, catalog: TopicCatalog?, logger: Logger) {
        self.config = config
        self.catalog = catalog
        self.logger = logger
    }

    public func crmPayments(utcOffsetMinutes: Int) throws(KafkaError) -> [ReconciliationEntry] {
        try latest(TopicNames.payments).compactMap { ReconciliationEntry(payment: $0, utcOffsetMinutes: utcOffsetMinutes) }
    }

    public func financeBookings() throws(KafkaError) -> [ReconciliationEntry] {
        try latest(TopicNames.financeReceipts).compactMap { ReconciliationEntry(finance: $0) }
    }

    /// Each key's newest JSON value (the topics are keyed by payment / receipt id; a redelivered
    /// input produces the same record again, which must not count twice).
    func latest(_ topic: String) throws(KafkaError) -> [JSONValue] {
        let records = try KafkaTopicReader(config: config, logger: logger)
            .readAll(topic: topic, partitions: catalog?[topic]?.partitions ?? 12)
        var order: [[UInt8]] = []
        var newest: [[UInt8]: JSONValue] = [:]
        for record in records {
            guard let value = record.value, let document = try? JSONParser.parse(value) else { continue }
            let key = record.key ?? Array("\(record.partition)@\(record.offset)".utf8)
            if newest.updateValue(document, forKey: key) == nil { order.append(key) }
        }
        return order.compactMap { newest[$0] }
    }
}
