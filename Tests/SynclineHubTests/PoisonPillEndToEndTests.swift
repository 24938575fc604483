import Foundation
import SynclineMapping
import SynclineKafka
import Testing

/// The poison-pill guard against a real crash of a real process: `syncline run` with a debug-only
/// test hook that traps (a Swift runtime failure, exit by SIGILL) on one chosen record. The test
/// restarts the process as a supervisor would; after the second crash on that record the third
/// run sends it to the DLQ untouched as `poison_pill`, alerts, and delivers everything else.
@Suite("Poison pill: a record that crashes the hub twice goes to the DLQ and the connector carries on", .serialized)
struct PoisonPillEndToEndTests {
    @Test("two crashes on the same record, then that record in the DLQ with poison_pill and its bytes, an alert, every other record delivered, nothing lost")
    func twoCrashesThenDeadLetter() async throws {
        let total = 2_000
        let corpus = ReliabilityLeadCorpus(count: total, prefix: "pp")
        let poisonKey = "pp-137"
        let connector = ProjectFixture.signup + "\ntest_hooks: {trap_on_key: \(poisonKey), trap_in_stage: map}\n"
        let setup = try await ReliabilityTests.Setup(connector: connector, extraTopics: ["crm.testleads.v1.yaml": ProjectFixture.testLeadsTopic])
        try await setup.kafka.publish(corpus.records)
        let group = "poison-\(UUID().uuidString.prefix(8))"
        let watcher = try ReliabilityWatcher(kafka: setup.kafka, group: group)
        let raw = ReliabilityTests.raw, partitions = ReliabilityTests.partitions
        let inputEnds = try await watcher.watermarks(topic: raw, partitions: partitions).mapValues(\.high)
        // A dead member stays in the group until its session ends: 6 s keeps each restart short.
        let environment = ["SYNCLINE_KAFKA_SESSION_TIMEOUT_MS": "6000"]

        var crashes = 0
        for run in 1...2 {
            let hub = try setup.startRun(group: group, environment: environment)
            _ = try await hub.waitForExit(timeout: .seconds(90))
            let crashed = hub.process.terminationReason == .uncaughtSignal
            #expect(crashed, "run \(run) should crash on \(poisonKey); status \(hub.process.terminationStatus); stderr: \(hub.errors.suffix(1500))")
            #expect(hub.errors.contains("test hook: trap on the record keyed \(poisonKey)"), "run \(run): \(hub.errors.suffix(1500))")
            if crashed { crashes += 1 }
            if run == 2 { #expect(hub.errors.contains("the previous run crashed on a record"), "run 2 counts run 1's crash: \(hub.errors.suffix(1500))") }
        }
        #expect(crashes == 2)

        // The third run quarantines the record and finishes the backlog.
        let hub = try setup.startRun(group: group, environment: environment, logLevel: "info")
        let finished = try await ReliabilityTests.waitUntil(timeout: .seconds(120)) {
            try await watcher.committed(topic: raw, partitions: partitions) == inputEnds || !hub.process.isRunning
        }
        #expect(finished && hub.process.isRunning, "the third run did not commit every input; stderr: \(hub.errors.suffix(2000))")
        hub.signal(SIGTERM)
        #expect(try await hub.waitForExit(timeout: .seconds(60)) == 0, "stderr: \(hub.errors.suffix(2000))")
        #expect(hub.errors.contains("poison pill"), "the third run says it sent a poison pill to the DLQ")

        let canonical = try await setup.kafka.read(ReliabilityTests.canonical, partitions: partitions)
        let dead = try await setup.kafka.read(ReliabilityTests.dlq, partitions: partitions)
        let alerts = try await setup.kafka.read(TopicNames.alerts, partitions: 6)
        let published = try #require(corpus.records.first { $0.key == Array(poisonKey.utf8) })

        // The poison pill: in the DLQ with its original bytes, poison_pill at map; not in the output.
        let pills = dead.filter { $0.keyText == poisonKey }
        #expect(!pills.isEmpty, "the poison pill is in the DLQ")
        for pill in pills {
            #expect(pill.value == published.value, "the DLQ keeps the original bytes")
            #expect(pill.headers.last(named: HeaderNames.errorCode)?.text == "poison_pill")
            #expect(pill.headers.last(named: HeaderNames.errorStage)?.text == "map")
            #expect(pill.headers.last(named: HeaderNames.errorMessage)?.text?.contains("crashed 2 times") == true)
        }
        #expect(!canonical.contains { $0.keyText == poisonKey })
        // The alert names the record's coordinates.
        let alert = try #require(alerts.first { String(decoding: $0.value ?? [], as: UTF8.self).contains("\"kind\":\"poison_pill\"") })
        let document = try JSONParser.parse(alert.value ?? [])
        let coordinates = try #require(pills.first?.sourceCoordinates)
        #expect(document["source_offset"]?.numberText == String(coordinates.offset))
        #expect(document["source_partition"]?.numberText == String(coordinates.partition))
        #expect(document["error_stage"]?.stringValue == "map")

        // Everything else: every valid record delivered, every invalid one in the DLQ with its code.
        let canonicalIDs = Set(canonical.map(\.keyText))
        let missing = corpus.valid.subtracting([poisonKey]).subtracting(canonicalIDs)
        #expect(missing.isEmpty, "\(missing.count) valid records missing, e.g. \(missing.prefix(5))")
        let deadCodes = Dictionary(dead.map { ($0.keyText, $0.headers.last(named: HeaderNames.errorCode)?.text ?? "") }) { first, _ in first }
        for (id, code) in corpus.invalid { #expect(deadCodes[id] == code, "\(id): \(deadCodes[id] ?? "missing")") }
        #expect(canonicalIDs.isSubset(of: corpus.valid))
    }
}
