public import Logging
public import ServiceLifecycle
public import SynclineKafka
public import SynclineMapping
public import SynclineStore
import Foundation
import Synchronization

/// Keeps the identity index current: reads `crm.customers.v1` with its own consumer, assigned to
/// every partition from the position the index stored (the beginning the first time), outside any
/// consumer group, on a dedicated thread. Each polled batch and the positions it reaches are
/// applied in one SQLite transaction, so a restart resumes exactly where it stopped.
public final class IdentityIndexService: Service, Sendable {
    public let index: IdentityIndex
    public let topic: String
    public let partitions: Int
    let kafka: KafkaConfig
    let parser: CustomerChangeParser
    let logger: Logger
    private let stopping = Atomic<Bool>(false)
    private let applied = Atomic<Int>(0)
    private let caughtUp = Atomic<Bool>(false)

    public init(
        index: IdentityIndex, kafka: KafkaConfig, topic: String = TopicNames.customers, partitions: Int, phoneRegion: String = MappingDefaults.standardPhoneRegion,
        logger: Logger
    ) {
        self.index = index
        self.kafka = kafka
        self.topic = topic
        self.partitions = partitions
        self.parser = CustomerChangeParser(phoneRegion: phoneRegion)
        self.logger = logger
    }

    /// True once the index holds everything `topic` had when this instance started reading it.
    public var isCaughtUp: Bool { caughtUp.load(ordering: .acquiring) }

    /// Changelog records applied since start.
    public var appliedRecords: Int { applied.load(ordering: .relaxed) }

    public func run() async throws {
        try await withGracefulShutdownHandler {
            try await withTaskCancellationHandler {
                try await BlockingThread.run(name: "syncline-identity") { [self] in try loop() }
            } onCancel: {
                stopping.store(true, ordering: .releasing)
            }
        } onGracefulShutdown: {
            self.stopping.store(true, ordering: .releasing)
        }
    }

    private func loop() throws {
        let consumer = try KafkaConsumer(config: kafka, groupID: "syncline-identity-\(UUID().uuidString)", logger: logger)
        defer { consumer.close() }
        let stored = try index.positions(topic: topic)
        try consumer.assign((0..<Int32(partitions)).map { TopicPartition(topic: topic, partition: $0, offset: stored[$0] ?? 0) })
        logger.info("identity index: reading \(topic)", metadata: ["partitions": "\(partitions)", "resumed": "\(!stored.isEmpty)"])
        // Caught up once every partition's position reaches its end offset as of now.
        var behind: [Int32: Int64] = [:]
        for partition in 0..<Int32(partitions) {
            if let marks = try? consumer.watermarks(topic: topic, partition: partition), marks.high > max(marks.low, stored[partition] ?? 0) {
                behind[partition] = marks.high
            }
        }
        if behind.isEmpty { caughtUp.store(true, ordering: .releasing) }
        while !stopping.load(ordering: .acquiring) {
            let records = consumer.poll(maxRecords: 5_000, timeoutMs: 100) { error in
                logger.warning("identity index: consumer error \(error.name): \(error.message)")
            }
            guard !records.isEmpty else { continue }
            var positions: [Int32: Int64] = [:]
            var changes: [CustomerChange] = []
            for record in records {
                positions[record.partition] = max(positions[record.partition] ?? 0, record.offset + 1)
                if let change = parser.parse(key: record.key, value: record.value) {
                    changes.append(change)
                } else {
                    logger.warning("identity index: skipped a record that is no customer", metadata: ["offset": "\(record.coordinates)"])
                }
            }
            var attempt = 0
            while true {
                do {
                    try index.applyChangelog(changes, positions: positions.map { (topic, $0.key, $0.value) })
                    break
                } catch {
                    attempt += 1
                    logger.error("identity index: cannot apply \(changes.count) changes (attempt \(attempt)): \(error)")
                    if stopping.load(ordering: .acquiring) { return }
                    Thread.sleep(forTimeInterval: min(5, 0.1 * Double(attempt)))
                }
            }
            applied.add(records.count, ordering: .relaxed)
            if !behind.isEmpty {
                for (partition, position) in positions where position >= (behind[partition] ?? 0) { behind[partition] = nil }
                if behind.isEmpty {
                    caughtUp.store(true, ordering: .releasing)
                    logger.info("identity index: caught up with \(topic)")
                }
            }
        }
    }
}
