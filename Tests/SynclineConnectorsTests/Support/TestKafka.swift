import Foundation
import Logging
import Synchronization
import SynclineConnectors
import SynclineMapping
import SynclineKafka
import SynclineRuntime
import Testing

/// Shared helpers for tests that run against the embedded cluster over TCP.
enum TestKafka {
    static let logger: Logger = {
        var logger = Logger(label: "test")
        logger.logLevel = ProcessInfo.processInfo.environment["SYNCLINE_TEST_LOG"].flatMap(Logger.Level.init(rawValue:)) ?? .error
        return logger
    }()

    /// Produces every record without awaiting each one, then flushes; fails if any delivery failed.
    static func publish(_ records: [OutputRecord], config: KafkaConfig) async throws {
        try await BlockingThread.run {
            let failures = FailureCounter()
            let producer = try KafkaProducer(config: config, logger: logger) { report in
                if report.error != nil { failures.count.add(1, ordering: .relaxed) }
            }
            for (index, record) in records.enumerated() {
                try producer.produceWaitingForRoom(record, token: UInt64(index + 1))
                if index % 1000 == 0 { producer.poll(timeoutMs: 0) }
            }
            if let error = producer.flush(timeoutMs: 60_000) { throw error }
            producer.close()
            let failed = failures.count.load(ordering: .relaxed)
            if failed > 0 { throw KafkaError.client("\(failed) test records were not delivered") }
        }
    }

    static func readAll(_ topic: String, partitions: Int, config: KafkaConfig) async throws -> [InputRecord] {
        try await BlockingThread.run {
            try KafkaTopicReader(config: config, logger: logger).readAll(topic: topic, partitions: partitions, timeout: .seconds(60))
        }
    }

    /// The group's committed offsets and the topic's end offsets, per partition.
    static func committedAndEnds(group: String, topic: String, partitions: Int, config: KafkaConfig) async throws -> (committed: [Int32: Int64], ends: [Int32: Int64]) {
        try await BlockingThread.run {
            let consumer = try KafkaConsumer(config: config, groupID: group, logger: logger)
            defer { consumer.close() }
            let list = (0..<Int32(partitions)).map { TopicPartition(topic: topic, partition: $0) }
            var committed: [Int32: Int64] = [:]
            for partition in try consumer.committed(list) {
                if let offset = partition.offset { committed[partition.partition] = offset }
            }
            var ends: [Int32: Int64] = [:]
            for partition in list {
                ends[partition.partition] = try consumer.watermarks(topic: topic, partition: partition.partition).high
            }
            return (committed, ends)
        }
    }

    /// Waits until `condition` holds, checking every 20 ms; fails the test after `timeout`.
    static func waitUntil(
        _ what: String, timeout: Duration = .seconds(60), sourceLocation: SourceLocation = #_sourceLocation,
        _ condition: () -> Bool
    ) async throws {
        let deadline = ContinuousClock.now + timeout
        while !condition() {
            if ContinuousClock.now > deadline {
                Issue.record("timed out waiting for: \(what)", sourceLocation: sourceLocation)
                throw CancellationError()
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// Waits until `condition` holds, then runs `action` at once, both on a thread of its own: a
    /// fault that must land mid-run cannot wait for a turn on the test pool (two threads, shared
    /// with CPU-heavy tests), or the run may have finished before the fault is injected.
    static func when(
        _ what: String, timeout: Duration = .seconds(60), sourceLocation: SourceLocation = #_sourceLocation,
        _ condition: @escaping @Sendable () -> Bool, then action: @escaping @Sendable () throws -> Void
    ) async throws {
        let held = try await BlockingThread.run { () throws -> Bool in
            let deadline = ContinuousClock.now + timeout
            while !condition() {
                if ContinuousClock.now > deadline { return false }
                Thread.sleep(forTimeInterval: 0.005)
            }
            try action()
            return true
        }
        if !held {
            Issue.record("timed out waiting for: \(what)", sourceLocation: sourceLocation)
            throw CancellationError()
        }
    }

    /// Runs `runtime` until it stops by itself (`exitAfter`), doing `during` meanwhile; after
    /// `timeout` it fails the test and stops the runtime instead of hanging the suite.
    static func runBounded(
        _ runtime: ConnectorRuntime, until what: String, timeout: Duration = .seconds(90), sourceLocation: SourceLocation = #_sourceLocation,
        during: () async throws -> Void = {}
    ) async throws -> RunSummary {
        let run = Task { try await runtime.run() }
        do {
            try await during()
            try await waitUntil(what, timeout: timeout, sourceLocation: sourceLocation) { runtime.summary != nil }
        } catch {
            runtime.requestStop()
            _ = try? await run.value
            throw error
        }
        return try await run.value
    }

    /// Waits until the group has committed every record of `topic` (committed offsets equal end offsets).
    static func waitUntilCommitted(
        group: String, topic: String, partitions: Int, config: KafkaConfig, timeout: Duration = .seconds(90),
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let deadline = ContinuousClock.now + timeout
        while true {
            let offsets = try await committedAndEnds(group: group, topic: topic, partitions: partitions, config: config)
            if offsets.committed == offsets.ends { return }
            if ContinuousClock.now > deadline {
                Issue.record("timed out waiting for \(group) to commit \(topic): \(offsets)", sourceLocation: sourceLocation)
                throw CancellationError()
            }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    /// The sequence numbers in 0..<count that are absent from `records`.
    static func missing(_ records: [InputRecord], expected count: Int) -> [Int] {
        let seen = Set(records.compactMap(seq(of:)))
        return (0..<count).filter { !seen.contains($0) }
    }

    /// A plain route connector from `input` to `output`.
    static func routeConnector(name: String, input: String, output: String, tuning: RuntimeTuning = RuntimeTuning()) -> ConnectorSpec {
        ConnectorSpec(
            name: name, mappingVersion: "test-1", inputTopics: [input],
            routes: [RouteSpec(name: "all", topic: output)], tuning: tuning)
    }

    static func runtime(_ spec: ConnectorSpec, config: KafkaConfig, group: String, exitAfter: Int? = nil) throws -> ConnectorRuntime {
        let pipeline = try PipelineBuilder.build(spec, catalog: nil)
        return ConnectorRuntime(
            spec: spec, pipeline: pipeline, options: .init(kafka: config, groupID: group, exitAfter: exitAfter), logger: logger)
    }

    /// Keyed records `seq` 0..<count with value `{"seq":N,"key":"kK"}`.
    static func keyedRecords(topic: String, count: Int, keys: Int, start: Int = 0) -> [OutputRecord] {
        (start..<(start + count)).map { seq in
            let key = "k\(seq % keys)"
            return OutputRecord(
                topic: topic, key: Array(key.utf8), value: Array(#"{"seq":\#(seq),"key":"\#(key)","名":"值"}"#.utf8),
                headers: [RecordHeader("ce_id", "evt-\(seq)"), RecordHeader("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")])
        }
    }

    static func seq(of record: InputRecord) -> Int? {
        guard let id = record.headers.last(named: "ce_id")?.text, id.hasPrefix("evt-") else { return nil }
        return Int(id.dropFirst(4))
    }
}

/// Counts failed deliveries across the producer's callback thread.
final class FailureCounter: Sendable {
    let count = Atomic<Int>(0)
}
