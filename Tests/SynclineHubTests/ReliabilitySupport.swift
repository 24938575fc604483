import Foundation
import Logging
import SynclineMapping
import SynclineKafka
import SynclineTestSupport
import Testing

/// The reliability tests' seeded generator, so every fault schedule can be replayed (`RELIABILITY_SEED=<n>`).
struct ReliabilityRandom: RandomNumberGenerator {
    private var generator: SplitMix64

    init(seed: UInt64) { generator = SplitMix64(state: seed) }

    /// The seed of this run: `RELIABILITY_SEED` if set, else a fixed default so CI is repeatable.
    static var seed: UInt64 {
        ProcessInfo.processInfo.environment["RELIABILITY_SEED"].flatMap { UInt64($0) } ?? 20_250_611
    }

    mutating func next() -> UInt64 { generator.next() }
}

/// Talks to the embedded cluster from the test: publishes a corpus (big messages allowed), reads
/// topics back, and watches a consumer group's committed offsets and the topics' watermarks.
struct ReliabilityKafka: Sendable {
    let config: KafkaConfig
    let logger: Logger

    init(bootstrapServers: String) {
        config = KafkaConfig(bootstrapServers: bootstrapServers)
        var logger = Logger(label: "reliability")
        logger.logLevel = ProcessInfo.processInfo.environment["SYNCLINE_TEST_LOG"].flatMap(Logger.Level.init(rawValue:)) ?? .error
        self.logger = logger
    }

    /// Publishes every record and waits for all acknowledgements. The test producer accepts values
    /// up to 16 MB (`message.max.bytes`), so the hostile corpus can carry multi-MB values.
    func publish(_ records: [OutputRecord]) async throws {
        let config = config.with(["message.max.bytes": "16777216"])
        let logger = logger
        try await BlockingThread.run {
            let producer = try KafkaProducer(config: config, logger: logger)
            defer { producer.close() }
            try producer.produceAll(records)
        }
    }

    /// Every record of `topic` (all partitions) from offset 0.
    func read(_ topic: String, partitions: Int, timeout: Duration = .seconds(60)) async throws -> [InputRecord] {
        let config = config
        let logger = logger
        return try await BlockingThread.run {
            try KafkaTopicReader(config: config, logger: logger).readAll(topic: topic, partitions: partitions, timeout: timeout)
        }
    }
}

/// A consumer that never joins the group: it only asks for the group's committed offsets and the
/// topics' watermarks, the way an operator's lag tool would.
final class ReliabilityWatcher: @unchecked Sendable {
    private let consumer: KafkaConsumer

    init(kafka: ReliabilityKafka, group: String) throws {
        consumer = try KafkaConsumer(config: kafka.config, groupID: group, logger: kafka.logger)
    }

    /// Committed offset per partition (partitions without a commit are absent).
    func committed(topic: String, partitions: Int) async throws -> [Int32: Int64] {
        let consumer = consumer
        return try await BlockingThread.run {
            let list = (0..<Int32(partitions)).map { TopicPartition(topic: topic, partition: $0) }
            var result: [Int32: Int64] = [:]
            for partition in try consumer.committed(list) {
                if let offset = partition.offset, offset >= 0 { result[partition.partition] = offset }
            }
            return result
        }
    }

    /// Low and high watermarks per partition.
    func watermarks(topic: String, partitions: Int) async throws -> [Int32: (low: Int64, high: Int64)] {
        try await BlockingThread.run { try self.watermarksNow(topic: topic, partitions: partitions) }
    }

    /// Sum of the high watermarks of several topics (records ever written to them).
    func totalEnd(_ topics: [String], partitions: Int) async throws -> Int64 {
        try await BlockingThread.run { try self.totalEndNow(topics, partitions: partitions) }
    }

    /// SIGKILLs `process` `delayMs` after `topics` hold `target` records in all. The watch runs on
    /// a thread of its own: on the test pool (two threads, shared with CPU-heavy tests) a check can
    /// wait so long that the run has finished before it is killed. Nil if the process exited or
    /// `timeout` passed first; else the records the topics held at the kill.
    func kill(_ process: Process, whenTotalOf topics: [String], partitions: Int, reaches target: Int64, delayMs: Int, timeout: Duration) async throws -> Int64? {
        try await BlockingThread.run {
            let deadline = ContinuousClock.now + timeout
            while try self.totalEndNow(topics, partitions: partitions) < target {
                guard process.isRunning, ContinuousClock.now < deadline else { return nil }
                Thread.sleep(forTimeInterval: 0.01)
            }
            Thread.sleep(forTimeInterval: Double(delayMs) / 1000)
            guard process.isRunning else { return nil }
            let atKill = try self.totalEndNow(topics, partitions: partitions)
            Foundation.kill(process.processIdentifier, SIGKILL)
            return atKill
        }
    }

    private func watermarksNow(topic: String, partitions: Int) throws -> [Int32: (low: Int64, high: Int64)] {
        var result: [Int32: (low: Int64, high: Int64)] = [:]
        for partition in 0..<Int32(partitions) {
            result[partition] = try consumer.watermarks(topic: topic, partition: partition)
        }
        return result
    }

    private func totalEndNow(_ topics: [String], partitions: Int) throws -> Int64 {
        try topics.reduce(0) { total, topic in
            total + (try watermarksNow(topic: topic, partitions: partitions).values.reduce(0) { $0 + $1.high })
        }
    }

    /// Checks the mock cluster dropped nothing (it keeps at most 5 MiB per partition).
    func expectNothingDropped(_ topics: [String], partitions: Int) async throws {
        for topic in topics {
            let marks = try await watermarks(topic: topic, partitions: partitions)
            let trimmed = marks.filter { $0.value.low != 0 }
            #expect(trimmed.isEmpty, "the mock cluster's 5 MiB-per-partition cap dropped data from \(topic): \(trimmed)")
        }
    }

    deinit { consumer.close() }
}

/// The one-line JSON summary `syncline run` prints on exit.
struct ReliabilitySummary: Decodable {
    var records_in: Int
    var records_out: Int
    var dlq: Int
    var retries: Int
    var committed: Int
    var seconds: Double

    static func parse(_ lines: [String]) -> ReliabilitySummary? {
        for line in lines.reversed() where line.hasPrefix("{") {
            if let summary = try? JSONDecoder().decode(ReliabilitySummary.self, from: Data(line.utf8)) { return summary }
        }
        return nil
    }
}

/// The lead corpus for the crash and shutdown runs: marketing events for `ProjectFixture.signup`,
/// keyed by event id, every 20th one invalid (5 %) with the DLQ code it must get.
struct ReliabilityLeadCorpus {
    var records: [OutputRecord] = []
    var valid: Set<String> = []
    var invalid: [String: String] = [:]

    init(count: Int, prefix: String) {
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        records.reserveCapacity(count)
        for index in 0..<count {
            let id = "\(prefix)-\(index)"
            let phone = String(format: "138%08d", index % 100_000_000)
            var body = #"{"event_id":"\#(id)","occurred_at":\#(now),"fields":{"手机":"\#(phone)"},"amount":"\#(index % 1000).25"}"#
            if index % 20 == 7 {
                switch (index / 20) % 4 {
                case 0: body = #"{"event_id":"\#(id)","occurred_at":\#(now),"fields":{"手机":"12"}}"#; invalid[id] = "invalid_phone"
                case 1: body = #"{"event_id":"\#(id)","occurred_at":\#(now),"fields":{}}"#; invalid[id] = "required_missing"
                case 2: body = #"{"event_id":"\#(id)","fields":{"手机":"13800138000"}"#; invalid[id] = "invalid_json"
                default: body = #"{"event_id":"\#(id)","occurred_at":\#(now),"fields":{"手机":"13800138000"},"amount":"x"}"#; invalid[id] = "not_a_number"
                }
            } else {
                valid.insert(id)
            }
            records.append(OutputRecord(topic: "raw.marketing.events.v1", key: Array(id.utf8), value: Array(body.utf8)))
        }
    }
}

extension InputRecord {
    var keyText: String { String(decoding: key ?? [], as: UTF8.self) }

    /// The input coordinates a hub output names in its lineage headers.
    var sourceCoordinates: (partition: Int32, offset: Int64)? {
        guard let partition = headers.last(named: HeaderNames.sourcePartition)?.text.flatMap({ Int32($0) }),
            let offset = headers.last(named: HeaderNames.sourceOffset)?.text.flatMap({ Int64($0) })
        else { return nil }
        return (partition, offset)
    }
}

enum ReliabilityClock {
    static func seconds(since start: ContinuousClock.Instant) -> Double {
        Double((ContinuousClock.now - start) / .milliseconds(1)) / 1000
    }
}
