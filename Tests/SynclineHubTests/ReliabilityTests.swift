import Foundation
import Logging
import SynclineMapping
import SynclineKafka
import SynclineRuntime
import Testing

/// Fault-injection tests of the delivery guarantees (SPEC §1), run against the built `syncline`
/// binary as a subprocess over an embedded cluster hosted by the test. Every test prints what it
/// injected and what it measured (`[reliability] …` lines). Full-size runs: `ops/reliability`.
@Suite("Reliability: crashes, hostile input and shutdown under load", .serialized)
struct ReliabilityTests {
    static let raw = "raw.marketing.events.v1"
    static let canonical = "crm.testleads.v1"
    static let dlq = "hub.dlq.marketing.v1"
    static let partitions = 12

    static func say(_ line: String) { print("[reliability] \(line)") }

    static func fixed(_ value: Double) -> String { String(format: "%.2f", value) }

    /// A temp project with the shipped topics plus `extraTopics`, the connector written beside it,
    /// and an embedded cluster (one broker) with every declared topic created.
    struct Setup {
        let project: ProjectFixture
        let connectorFile: URL
        let cluster: EmbeddedKafkaCluster
        let kafka: ReliabilityKafka

        init(connector: String, extraTopics: [String: String], brokers: Int = 1) async throws {
            project = try ProjectFixture(connectors: [:], extraTopics: extraTopics)
            connectorFile = project.root.appendingPathComponent("connector.yaml")
            try connector.write(to: connectorFile, atomically: true, encoding: .utf8)
            cluster = try await EmbeddedKafkaCluster.start(brokers: brokers)
            try await cluster.createTopics(try TopicCatalog.load(directory: project.root.appendingPathComponent("topics")).topics.map(\.kafkaRequest))
            kafka = ReliabilityKafka(bootstrapServers: cluster.bootstrapServers)
        }

        func startRun(group: String, environment: [String: String] = [:], logLevel: String = "warning") throws -> HubProcess {
            try HubProcess([
                "run", "--connector", connectorFile.path, "--brokers", cluster.bootstrapServers, "--group", group,
                "--root", project.root.path, "--state", project.state.path, "--log-level", logLevel,
            ], environment: environment)
        }
    }

    /// Polls `condition` every 20 ms until it holds or `timeout` passes; returns whether it held.
    static func waitUntil(timeout: Duration, _ condition: () async throws -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if try await condition() { return true }
            try await Task.sleep(for: .milliseconds(20))
        }
        return try await condition()
    }

    // MARK: - 1. SIGKILL at random points

    @Test("SIGKILL the hub at seeded-random points (3+ kills, restart with the same group): every input record is in the canonical topic or the DLQ, none missing; duplicates counted")
    func sigkillAtRandomPoints() async throws {
        let total = Int(ProcessInfo.processInfo.environment["RELIABILITY_KILL_RECORDS"] ?? "") ?? 30_000
        let kills = max(3, Int(ProcessInfo.processInfo.environment["RELIABILITY_KILLS"] ?? "") ?? 3)
        let seed = ReliabilityRandom.seed
        var random = ReliabilityRandom(seed: seed)
        // Rate-limited so that each run lasts long enough to be killed mid-stream: without it the
        // hub drains this backlog in well under a second.
        let limited = ProjectFixture.signup + "\nrate_limit: {records_per_second: 2000, burst: 200}\n"
        let setup = try await Setup(connector: limited, extraTopics: ["crm.testleads.v1.yaml": ProjectFixture.testLeadsTopic])
        let corpus = ReliabilityLeadCorpus(count: total, prefix: "kill")
        try await setup.kafka.publish(corpus.records)
        let group = "reliability-kill-\(UUID().uuidString.prefix(8))"
        let watcher = try ReliabilityWatcher(kafka: setup.kafka, group: group)
        let inputEnds = try await watcher.watermarks(topic: Self.raw, partitions: Self.partitions).mapValues(\.high)
        #expect(inputEnds.values.reduce(0, +) == Int64(total))
        Self.say("SIGKILL test: \(total) raw records (\(corpus.invalid.count) invalid), \(kills) kills, seed \(seed)")

        func committedTotal() async throws -> Int64 {
            try await watcher.committed(topic: Self.raw, partitions: Self.partitions).values.reduce(0, +)
        }
        func outputs() async throws -> Int64 { try await watcher.totalEnd([Self.canonical, Self.dlq], partitions: Self.partitions) }

        // A killed member stays in the group until its session times out; 6 s (Kafka's minimum by
        // default) instead of the hub's 10 s keeps each restart's rebalance short.
        let session = ["SYNCLINE_KAFKA_SESSION_TIMEOUT_MS": "6000"]
        var killsDone = 0
        for round in 1...kills {
            if try await committedTotal() >= Int64(total) { break }
            let hub = try setup.startRun(group: group, environment: session)
            let started = ContinuousClock.now
            let baseline = try await outputs()
            // Kill once this run has written a seeded-random 4–15 % of the backlog (so every run makes
            // progress and the kill lands mid-stream), plus a random 0–250 ms so it falls anywhere
            // relative to the 500 ms commit cycle.
            let share = Double.random(in: 0.03..<0.10, using: &random)
            let target = baseline + Int64(Double(total) * share)
            let atKill = try await watcher.kill(
                hub.process, whenTotalOf: [Self.canonical, Self.dlq], partitions: Self.partitions, reaches: target,
                delayMs: Int.random(in: 0..<250, using: &random), timeout: .seconds(90))
            let atKillOutputs = try #require(atKill, "run \(round) made no progress or ended before its kill; stderr: \(hub.errors.suffix(2000))")
            killsDone += 1
            _ = try await hub.waitForExit(timeout: .seconds(20))
            #expect(hub.process.terminationReason == .uncaughtSignal && hub.process.terminationStatus == SIGKILL)
            let committed = try await committedTotal()
            Self.say(
                "kill \(round): SIGKILL after \(Self.fixed(ReliabilityClock.seconds(since: started))) s, outputs written \(atKillOutputs) "
                    + "(this run \(atKillOutputs - baseline)), inputs committed \(committed) / \(total)")
        }

        #expect(killsDone == kills, "the backlog was fully committed after \(killsDone) of \(kills) kills: use a bigger backlog")

        // The last run finishes: wait until the group committed every input, then stop it gracefully.
        // Info logging, so the test can see the run join its group before it is asked to stop
        // (a signal before the process has even started would kill it, not stop it).
        let hub = try setup.startRun(group: group, environment: session, logLevel: "info")
        let finished = try await Self.waitUntil(timeout: .seconds(120)) {
            (try await committedTotal() >= Int64(total) && hub.errors.contains("partitions assigned")) || !hub.process.isRunning
        }
        #expect(finished, "the final run did not commit every input; stderr: \(hub.errors.suffix(2000))")
        hub.signal(SIGTERM)
        let status = try await hub.waitForExit(timeout: .seconds(60))
        #expect(status == 0, "stderr: \(hub.errors.suffix(2000))")
        #expect(try await watcher.committed(topic: Self.raw, partitions: Self.partitions) == inputEnds)

        try await watcher.expectNothingDropped([Self.raw, Self.canonical, Self.dlq], partitions: Self.partitions)
        let canonical = try await setup.kafka.read(Self.canonical, partitions: Self.partitions)
        let dead = try await setup.kafka.read(Self.dlq, partitions: Self.partitions)
        let canonicalIDs = Set(canonical.map(\.keyText))
        let deadIDs = Set(dead.map(\.keyText))
        let missingValid = corpus.valid.subtracting(canonicalIDs)
        let missingInvalid = Set(corpus.invalid.keys).subtracting(deadIDs)
        #expect(missingValid.isEmpty, "\(missingValid.count) valid records missing from \(Self.canonical), e.g. \(missingValid.prefix(5))")
        #expect(missingInvalid.isEmpty, "\(missingInvalid.count) invalid records missing from the DLQ, e.g. \(missingInvalid.prefix(5))")
        #expect(canonicalIDs.isSubset(of: corpus.valid), "an invalid record reached the canonical topic")
        #expect(deadIDs.isSubset(of: Set(corpus.invalid.keys)), "a valid record reached the DLQ")
        let wrongCodes = dead.filter { $0.headers.last(named: HeaderNames.errorCode)?.text != corpus.invalid[$0.keyText] }
        #expect(wrongCodes.isEmpty, "\(wrongCodes.count) DLQ records with an unexpected code")
        let duplicates = (canonical.count - canonicalIDs.count) + (dead.count - deadIDs.count)
        Self.say(
            "SIGKILL result: \(total) inputs, \(canonical.count) canonical + \(dead.count) DLQ records, missing "
                + "\(missingValid.count + missingInvalid.count), duplicates \(duplicates) "
                + "(\(Self.fixed(Double(duplicates) * 100 / Double(total))) % of inputs) after \(kills) kills")
    }

    // MARK: - 2. Hostile corpus

    /// A canonical topic with an int field, so out-of-range numbers and wrong types have a target.
    static let hostileTopic = """
        name: crm.reltest.v1
        description: canonical records of the reliability tests' hostile-corpus connector
        partitions: 12
        key: id
        format: json
        schema:
          id: {type: string, required: true, description: the upstream event id}
          n: {type: int, required: true, description: a 64-bit integer}
          name: {type: string, description: free text}
        """

    static let hostileConnector = """
        name: hostile
        version: "r-1"
        input:
          topics: [raw.marketing.events.v1]
          format: json
        event_id: id
        dlq: hub.dlq.marketing.v1
        routes:
          - name: item
            topic: crm.reltest.v1
            key: id
            fields:
              id: id
              n: n
              name: name
        """

    /// The hostile corpus: good records (some with awkward but valid content) and bad ones of every
    /// kind, each bad one with the code the DLQ must carry. Keys are unique ids.
    struct HostileCorpus {
        var records: [OutputRecord] = []
        var good: [String: [UInt8]] = [:]
        var bad: [String: String] = [:]
        var kinds: [String: String] = [:]  // id → kind, for reporting
        var oversized: Set<String> = []

        mutating func add(_ id: String, _ value: [UInt8]?, code: String?, kind: String) {
            records.append(OutputRecord(topic: ReliabilityTests.raw, key: Array(id.utf8), value: value))
            kinds[id] = kind
            if let code { bad[id] = code } else { good[id] = value }
            if (value?.count ?? 0) > 1_000_000 { oversized.insert(id) }
        }

        static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

        static let badKindCount = 27

        /// Bad record kind `kind`: its description, the DLQ code it must get, and its value.
        static func bad(_ kind: Int, id: String) -> (kind: String, code: String, value: [UInt8]?) {
            switch kind {
            case 0:
                let full = bytes(#"{"id":"\#(id)","n":12345,"name":"truncated record"}"#)
                return ("truncated JSON", "invalid_json", Array(full.prefix(full.count / 2 + id.count % 7)))
            case 1: return ("truncated after the last value", "invalid_json", bytes(#"{"id":"\#(id)","n":1"#))
            case 2:
                return ("10,000-level nested arrays", "invalid_json", bytes(String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)))
            case 3:
                let nested = String(repeating: #"{"a":"#, count: 10_000) + "1" + String(repeating: "}", count: 10_000)
                return ("10,000-level nested objects in a field", "invalid_json", bytes(#"{"id":"\#(id)","n":1,"x":"# + nested + "}"))
            case 4: return ("invalid UTF-8 bytes 0xFF 0xFE", "invalid_utf8", bytes(#"{"id":"\#(id)","n":1,"name":"x"#) + [0xFF, 0xFE] + bytes(#""}"#))
            case 5: return ("overlong UTF-8 encoding", "invalid_utf8", bytes(#"{"id":"\#(id)","n":1,"name":""#) + [0xC0, 0xAF] + bytes(#""}"#))
            case 6: return ("UTF-8-encoded surrogate", "invalid_utf8", bytes(#"{"id":"\#(id)","n":1,"name":""#) + [0xED, 0xA0, 0x80] + bytes(#""}"#))
            case 7: return ("empty value", "payload_missing", [])
            case 8: return ("tombstone (null value)", "payload_missing", nil)
            case 9: return ("wrong type: object for int", "wrong_type", bytes(#"{"id":"\#(id)","n":{"v":1}}"#))
            case 10: return ("wrong type: bool for int", "wrong_type", bytes(#"{"id":"\#(id)","n":true}"#))
            case 11: return ("wrong type: array for string", "wrong_type", bytes(#"{"id":"\#(id)","n":1,"name":["a"]}"#))
            case 12: return ("text for int", "not_a_number", bytes(#"{"id":"\#(id)","n":"twelve"}"#))
            case 13: return ("fraction for int", "not_an_integer", bytes(#"{"id":"\#(id)","n":1.5}"#))
            case 14: return ("raw NUL byte inside a string", "invalid_json", bytes(#"{"id":"\#(id)","n":1,"name":"a"#) + [0x00] + bytes(#"b"}"#))
            case 15: return ("raw control character 0x01 inside a string", "invalid_json", bytes(#"{"id":"\#(id)","n":1,"name":"a"#) + [0x01] + bytes(#"b"}"#))
            case 16: return ("raw newline inside a string", "invalid_json", bytes(#"{"id":"\#(id)","n":1,"name":"a"#) + [0x0A] + bytes(#"b"}"#))
            case 17: return ("duplicate keys", "invalid_json", bytes(#"{"id":"\#(id)","n":1,"n":2}"#))
            case 18: return ("1e400 for int", "int_out_of_range", bytes(#"{"id":"\#(id)","n":1e400}"#))
            case 19: return ("99999999999999999999 for int", "int_out_of_range", bytes(#"{"id":"\#(id)","n":99999999999999999999}"#))
            case 20: return ("-9223372036854775809 for int", "int_out_of_range", bytes(#"{"id":"\#(id)","n":-9223372036854775809}"#))
            case 21: return ("JSON array instead of an object", "not_an_object", bytes(#"[{"id":"\#(id)","n":1}]"#))
            case 22: return ("bare JSON string", "not_an_object", bytes(#""\#(id)""#))
            case 23: return ("missing event id", "event_id_missing", bytes(#"{"n":1}"#))
            case 24: return ("missing required int", "required_missing", bytes(#"{"id":"\#(id)","name":"no n"}"#))
            case 25: return ("trailing garbage", "invalid_json", bytes(#"{"id":"\#(id)","n":1} xyz"#))
            default: return ("lone surrogate escape", "invalid_json", bytes(#"{"id":"\#(id)","n":1,"name":"\ud800"}"#))
            }
        }

        static let goodKindCount = 6

        /// Good record kind `kind` (awkward but valid content): its description and value.
        static func good(_ kind: Int, id: String, n: Int) -> (kind: String, value: [UInt8]) {
            switch kind {
            case 0: return ("plain", bytes(#"{"id":"\#(id)","n":\#(n),"name":"plain \#(n)"}"#))
            case 1: return ("escaped NUL and control characters", bytes(#"{"id":"\#(id)","n":\#(n),"name":"a\u0000b\u0007c\u001f"}"#))
            case 2: return ("Unicode and an escaped emoji pair", bytes(#"{"id":"\#(id)","n":\#(n),"name":"客户 \ud83d\ude00 ☎"}"#))
            case 3: return ("int64 extremes", bytes(#"{"id":"\#(id)","n":\#(n % 2 == 0 ? "9223372036854775807" : "-9223372036854775808")}"#))
            case 4:
                let nested = String(repeating: "[", count: 40) + String(repeating: "]", count: 40)
                return ("extra nested field (depth 40)", bytes(#"{"id":"\#(id)","n":\#(n),"x":"# + nested + "}"))
            default: return ("whitespace everywhere", bytes(" \n{ \"id\" : \"\(id)\" ,\t\"n\" : \(n) } \r\n"))
            }
        }

        init(goodCount: Int, badCount: Int, random: inout ReliabilityRandom) {
            var plan: [(isBad: Bool, index: Int)] = []
            plan += (0..<goodCount).map { (false, $0) }
            plan += (0..<badCount).map { (true, $0) }
            plan.shuffle(using: &random)
            for (isBad, index) in plan {
                if isBad {
                    let id = "bad-\(index)"
                    let record = Self.bad(index % Self.badKindCount, id: id)
                    add(id, record.value, code: record.code, kind: record.kind)
                } else {
                    let id = "good-\(index)"
                    let record = Self.good(index % Self.goodKindCount, id: id, n: index)
                    add(id, record.value, code: nil, kind: record.kind)
                }
            }
            // Values over the 1 MiB max_payload_bytes: one incompressible 2.5 MB (random base64
            // text), two compressible 3 MB and 4 MB. A 10 MB value does not fit: the embedded
            // cluster keeps at most 5 MiB per partition, so it would silently push out older data.
            var noise = [UInt8](repeating: 0, count: 2_500_000)
            let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
            for index in noise.indices { noise[index] = alphabet[Int(random.next() % 64)] }
            add("huge-2.5MB", Self.bytes(#"{"id":"huge-2.5MB","n":1,"name":""#) + noise + Self.bytes(#""}"#), code: "payload_too_large", kind: "2.5 MB value")
            for megabytes in [3, 4] {
                let id = "huge-\(megabytes)MB"
                let filler = [UInt8](repeating: UInt8(ascii: "a"), count: megabytes * 1_000_000)
                add(id, Self.bytes(#"{"id":"\#(id)","n":1,"name":""#) + filler + Self.bytes(#""}"#), code: "payload_too_large", kind: "\(megabytes) MB value")
            }
            // Just under max_payload_bytes (1,048,576) but over librdkafka's default message.max.bytes
            // (1,000,000): a good one (its canonical output is small) and a bad one (its DLQ record is not).
            let nearLimit = [UInt8](repeating: UInt8(ascii: "b"), count: 1_040_000)
            add("near-limit-good", Self.bytes(#"{"id":"near-limit-good","n":7,"x":""#) + nearLimit + Self.bytes(#""}"#), code: nil, kind: "1.04 MB valid value")
            add("near-limit-bad", Self.bytes(#"{"id":"near-limit-bad","n":"seven","x":""#) + nearLimit + Self.bytes(#""}"#), code: "not_a_number", kind: "1.04 MB invalid value")
        }
    }

    @Test("hostile corpus (truncated and 10,000-deep JSON, invalid UTF-8, 2.5–4 MB values, empty values, tombstones, wrong types, NUL and control bytes, duplicate keys, out-of-range numbers, arrays) mixed into valid traffic: the hub never crashes, every bad record is in the DLQ with its specific code and original bytes, every good one is delivered")
    func hostileCorpus() async throws {
        let goodCount = Int(ProcessInfo.processInfo.environment["RELIABILITY_HOSTILE_GOOD"] ?? "") ?? 3_000
        let badCount = Int(ProcessInfo.processInfo.environment["RELIABILITY_HOSTILE_BAD"] ?? "") ?? 3_000
        var random = ReliabilityRandom(seed: ReliabilityRandom.seed)
        let corpus = HostileCorpus(goodCount: goodCount, badCount: badCount, random: &random)
        let setup = try await Setup(connector: Self.hostileConnector, extraTopics: ["crm.reltest.v1.yaml": Self.hostileTopic])
        try await setup.kafka.publish(corpus.records)
        let group = "reliability-hostile-\(UUID().uuidString.prefix(8))"
        let watcher = try ReliabilityWatcher(kafka: setup.kafka, group: group)
        try await watcher.expectNothingDropped([Self.raw], partitions: Self.partitions)
        Self.say("hostile corpus: \(corpus.good.count) good and \(corpus.bad.count) bad records (\(Set(corpus.kinds.values).count) kinds, \(corpus.oversized.count) over 1,000,000 bytes)")

        let hub = try setup.startRun(group: group)
        let started = ContinuousClock.now
        let output = "crm.reltest.v1"
        // Wait until everything expected has arrived, or until the DLQ stops growing for 10 s
        // once every good record is delivered (records the hub cannot dead-letter never arrive).
        let total = Int64(corpus.good.count + corpus.bad.count)
        var lastDLQ: Int64 = -1
        var stableSince = ContinuousClock.now
        let deadline = ContinuousClock.now + .seconds(120)
        while ContinuousClock.now < deadline && hub.process.isRunning {
            let canonicalEnd = try await watcher.totalEnd([output], partitions: Self.partitions)
            let dlqEnd = try await watcher.totalEnd([Self.dlq], partitions: Self.partitions)
            if dlqEnd != lastDLQ {
                lastDLQ = dlqEnd
                stableSince = .now
            }
            if canonicalEnd + dlqEnd >= total { break }
            if canonicalEnd >= Int64(corpus.good.count) && ContinuousClock.now - stableSince > .seconds(10) { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(hub.process.isRunning, "the hub died on hostile input: status \(hub.process.terminationStatus); stderr: \(hub.errors.suffix(3000))")
        let elapsed = ReliabilityClock.seconds(since: started)

        try await watcher.expectNothingDropped([Self.raw, output, Self.dlq], partitions: Self.partitions)
        let canonical = try await setup.kafka.read(output, partitions: Self.partitions)
        let dead = try await setup.kafka.read(Self.dlq, partitions: Self.partitions)
        let canonicalIDs = Set(canonical.map(\.keyText))
        let missingGood = Set(corpus.good.keys).subtracting(canonicalIDs)
        var missingGoodKinds: [String: Int] = [:]
        for id in missingGood { missingGoodKinds[corpus.kinds[id] ?? id, default: 0] += 1 }
        #expect(missingGood.isEmpty, "good records not delivered, by kind: \(missingGoodKinds); e.g. \(missingGood.sorted().prefix(5))")
        #expect(canonicalIDs.isSubset(of: Set(corpus.good.keys)), "bad records delivered: \(canonicalIDs.subtracting(corpus.good.keys).prefix(10))")
        let sent = Dictionary(corpus.records.map { ($0.key.map { String(decoding: $0, as: UTF8.self) } ?? "", $0.value) }, uniquingKeysWith: { a, _ in a })
        var byID: [String: InputRecord] = [:]
        for record in dead { byID[record.keyText] = record }
        var wrong: [String] = []
        var altered: [String] = []
        var missing: [String: Int] = [:]
        for (id, code) in corpus.bad {
            guard let record = byID[id] else {
                missing[corpus.kinds[id] ?? id, default: 0] += 1
                continue
            }
            let got = record.headers.last(named: HeaderNames.errorCode)?.text ?? "none"
            if got != code { wrong.append("\(id) (\(corpus.kinds[id] ?? "")): \(got), expected \(code)") }
            if record.value != sent[id] ?? nil { altered.append("\(id) (\(corpus.kinds[id] ?? ""))") }
        }
        #expect(missing.isEmpty, "bad records missing from the DLQ, by kind: \(missing)")
        #expect(wrong.isEmpty, "DLQ records with the wrong code: \(wrong.prefix(10))")
        #expect(altered.isEmpty, "DLQ records whose bytes differ from the original: \(altered.prefix(10))")
        let deep = byID.values.first { corpus.kinds[$0.keyText] == "10,000-level nested arrays" }
        #expect(deep?.headers.last(named: HeaderNames.errorMessage)?.text?.contains("deep") == true, "the nesting rejection names the depth limit")

        #expect(hub.process.isRunning)
        hub.signal(SIGTERM)
        let stopStarted = ContinuousClock.now
        let status = try await hub.waitForExit(timeout: .seconds(90))
        let stopSeconds = ReliabilityClock.seconds(since: stopStarted)
        #expect(status == 0, "stderr: \(hub.errors.suffix(2000))")
        #expect(stopSeconds < 35, "a graceful stop should take at most the 30 s drain timeout")
        let summary = ReliabilitySummary.parse(hub.output)
        #expect(summary != nil, "no summary line; stdout: \(hub.output)")
        let stuck = hub.errors.split(separator: "\n").filter { $0.contains("will retry") }
        let summaryText = summary.map { "in \($0.records_in) out \($0.records_out) dlq \($0.dlq) retries \($0.retries) committed \($0.committed)" } ?? "missing"
        Self.say(
            "hostile result after \(Self.fixed(elapsed)) s: \(canonicalIDs.intersection(corpus.good.keys).count)/\(corpus.good.count) good delivered, "
                + "\(corpus.bad.count - missing.values.reduce(0, +))/\(corpus.bad.count) bad in the DLQ (\(wrong.count) wrong code, "
                + "\(altered.count) altered), hub alive; SIGTERM exit \(status) in \(Self.fixed(stopSeconds)) s; "
                + "summary: \(summaryText)")
        if !missing.isEmpty {
            Self.say("FINDING: not dead-lettered: \(missing); the hub logged \(stuck.count) 'will retry' warnings, e.g. \(stuck.last.map(String.init) ?? "none")")
        }
        if !missingGood.isEmpty { Self.say("FINDING: good records not delivered, by kind: \(missingGoodKinds)") }
    }

    // MARK: - 3. Graceful shutdown under load

    @Test("SIGTERM to syncline run in the middle of a big backlog with a slow sink (+1 s RTT): exits 0 within 45 s with its summary; every input offset below the committed offset has its output (canonical or DLQ)")
    func gracefulShutdownUnderLoad() async throws {
        let total = Int(ProcessInfo.processInfo.environment["RELIABILITY_SHUTDOWN_RECORDS"] ?? "") ?? 100_000
        // Three brokers: the input's partitions on broker 1, the outputs' (canonical and DLQ) on
        // broker 2 with 1 s added round-trip time, so acknowledgements lag and records are in
        // flight when the signal arrives.
        let setup = try await Setup(
            connector: ProjectFixture.signup, extraTopics: ["crm.testleads.v1.yaml": ProjectFixture.testLeadsTopic], brokers: 3)
        for partition in 0..<Int32(Self.partitions) {
            setup.cluster.setPartitionLeader(topic: Self.raw, partition: partition, broker: 1)
            setup.cluster.setPartitionLeader(topic: Self.canonical, partition: partition, broker: 2)
            setup.cluster.setPartitionLeader(topic: Self.dlq, partition: partition, broker: 2)
        }
        let corpus = ReliabilityLeadCorpus(count: total, prefix: "term")
        try await setup.kafka.publish(corpus.records)
        let group = "reliability-term-\(UUID().uuidString.prefix(8))"
        let watcher = try ReliabilityWatcher(kafka: setup.kafka, group: group)
        let inputEnds = try await watcher.watermarks(topic: Self.raw, partitions: Self.partitions).mapValues(\.high)

        setup.cluster.setRoundTripTime(broker: 2, milliseconds: 1_000)
        let hub = try setup.startRun(group: group)
        // Every watermark request to broker 2 now takes 1 s: watch one canonical partition (about
        // 1/12 of the outputs) and signal once it holds about 10 % of its share.
        let progressed = try await Self.waitUntil(timeout: .seconds(90)) {
            let high = try await watcher.watermarks(topic: Self.canonical, partitions: 1)[0]?.high ?? 0
            return high >= Int64(total / Self.partitions * 10 / 100) || !hub.process.isRunning
        }
        try #require(progressed && hub.process.isRunning, "no progress; stderr: \(hub.errors.suffix(2000))")
        hub.signal(SIGTERM)
        let signalled = ContinuousClock.now
        let status = try await hub.waitForExit(timeout: .seconds(45))
        let stopSeconds = ReliabilityClock.seconds(since: signalled)
        setup.cluster.setRoundTripTime(broker: 2, milliseconds: 0)
        #expect(status == 0, "stderr: \(hub.errors.suffix(2000))")
        #expect(stopSeconds < 45)
        let summary = try #require(ReliabilitySummary.parse(hub.output), "no summary line; stdout: \(hub.output)")

        let committed = try await watcher.committed(topic: Self.raw, partitions: Self.partitions)
        let committedTotal = committed.values.reduce(0, +)
        try await watcher.expectNothingDropped([Self.raw, Self.canonical, Self.dlq], partitions: Self.partitions)
        let raw = try await setup.kafka.read(Self.raw, partitions: Self.partitions)
        #expect(raw.count == total)
        var delivered = Set<Int64>()  // partition << 40 | offset
        for record in try await setup.kafka.read(Self.canonical, partitions: Self.partitions) + (try await setup.kafka.read(Self.dlq, partitions: Self.partitions)) {
            if let source = record.sourceCoordinates { delivered.insert(Int64(source.partition) << 40 | source.offset) }
        }
        var undelivered: [String] = []
        for record in raw where record.offset < committed[record.partition] ?? 0 {
            if !delivered.contains(Int64(record.partition) << 40 | record.offset) { undelivered.append("\(record.partition)@\(record.offset)") }
        }
        #expect(undelivered.isEmpty, "\(undelivered.count) committed inputs without output, e.g. \(undelivered.prefix(10))")
        for (partition, offset) in committed { #expect(offset <= inputEnds[partition] ?? 0) }
        #expect(summary.committed == Int(committedTotal), "the summary's committed count matches the group's offsets")
        #expect(summary.records_out + summary.dlq >= summary.committed)
        #expect(committedTotal < Int64(total), "SIGTERM arrived mid-run (some inputs stay for the next run)")
        Self.say(
            "SIGTERM under load (outputs' broker +1 s RTT): \(total)-record backlog; exit \(status) in \(Self.fixed(stopSeconds)) s; "
                + "committed \(committedTotal) (\(Self.fixed(Double(committedTotal) * 100 / Double(total))) %), consumed \(summary.records_in), "
                + "out \(summary.records_out), dlq \(summary.dlq); committed-but-undelivered \(undelivered.count)")
    }
}
