import Foundation
import Logging
import SynclineMapping
import SynclineKafka
import Testing

/// Scaffolding the end-to-end tests share: one test logger, publishing many records without
/// awaiting each, and reading a topic until it holds what a test waits for.
enum HubTestSupport {
    /// Quiet unless `SYNCLINE_TEST_LOG` names a level.
    static let logger: Logger = {
        var logger = Logger(label: "test")
        logger.logLevel = ProcessInfo.processInfo.environment["SYNCLINE_TEST_LOG"].flatMap(Logger.Level.init(rawValue:)) ?? .error
        return logger
    }()

    /// Produces every record (waiting while librdkafka's queue is full), then flushes.
    static func publish(_ records: [OutputRecord], config: KafkaConfig) async throws {
        try await BlockingThread.run {
            let producer = try KafkaProducer(config: config, logger: logger)
            defer { producer.close() }
            try producer.produceAll(records, flushTimeoutMs: 60_000)
        }
    }

    /// Everything in `topic` now.
    static func read(_ topic: String, partitions: Int, config: KafkaConfig) async throws -> [InputRecord] {
        try await BlockingThread.run {
            try KafkaTopicReader(config: config, logger: logger).readAll(topic: topic, partitions: partitions, timeout: .seconds(20))
        }
    }

    /// Reads `topic` until it holds at least `count` records or `timeout` passes; returns what it holds.
    static func waitForTopic(
        _ topic: String, count: Int, partitions: Int, config: KafkaConfig, timeout: Duration = .seconds(90)
    ) async throws -> [InputRecord] {
        let deadline = ContinuousClock.now + timeout
        var records: [InputRecord] = []
        while ContinuousClock.now < deadline {
            records = try await read(topic, partitions: partitions, config: config)
            if records.count >= count { return records }
            try await Task.sleep(for: .milliseconds(200))
        }
        return records
    }
}
