import Foundation
import SynclineAdmin
import SynclineMapping
import SynclineHub
import SynclineKafka
import Testing

/// Issue 16's operator scenario, as subprocesses of the built binary: three `syncline up --brokers`
/// instances on one embedded cluster, one SIGKILLed mid-conversation and replaced by a fresh one with
/// an empty state directory; then the same traffic through one instance alone. Every message counted
/// once, every conversation one activity, every alert id once, Twilio calls right, same output.
@Suite("Scale-out: three instances, one killed and replaced, give what one instance gives", .serialized)
struct ScaleOutTests {
    static let partitions = 12
    static func say(_ line: String) { print("[scale-out] \(line)") }

    /// A project with the shipped topics and the shipped im/telephony connectors (closing a
    /// conversation 2 s after its last message was read, instead of 30 s).
    static func project() throws -> ProjectFixture {
        func shipped(_ name: String) throws -> String {
            try String(contentsOf: ProjectFixture.repositoryRoot.appendingPathComponent("connectors/\(name)"), encoding: .utf8)
        }
        let im = try shipped("im.yaml").replacingOccurrences(of: "close_quiet: 30s", with: "close_quiet: 2s")
        #expect(im.contains("close_quiet: 2s"))
        return try ProjectFixture(connectors: ["im.yaml": im, "telephony.yaml": try shipped("telephony.yaml")])
    }

    /// One hub instance with its own (empty) state directory.
    static func startHub(_ project: ProjectFixture, brokers: String?, name: String) throws -> HubProcess {
        let state = project.root.appendingPathComponent("state-\(name)")
        var arguments = ["up", "--root", project.root.path, "--state", state.path, "--admin", "127.0.0.1:0", "--log-level", "warning"]
        if let brokers { arguments += ["--brokers", brokers] }
        // A killed member's partitions move after the group's session timeout: 4 s instead of 10 s
        // keeps the test short (an operator knob too: SYNCLINE_KAFKA_SESSION_TIMEOUT_MS).
        return try HubProcess(arguments, environment: ["SYNCLINE_KAFKA_SESSION_TIMEOUT_MS": "4000"])
    }

    static func waitUntil(_ what: String, timeout: Duration = .seconds(60), _ condition: () async throws -> Bool) async throws {
        let deadline = ContinuousClock.now + timeout
        while try await !condition() {
            if ContinuousClock.now > deadline {
                Issue.record("timed out waiting for: \(what)")
                throw CancellationError()
            }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    static func ready(_ admin: String) async throws -> Bool {
        (try? await HTTPTestClient.call("GET", admin + "/readyz").status) == 200
    }

    /// Raw records the rekey loops have copied to the repartition topics, by raw topic (distinct raw offsets).
    static func rekeyed(_ config: KafkaConfig) async throws -> [String: Int] {
        var seen: [String: Set<String>] = [:]
        for connector in ["im", "telephony"] {
            for record in try await HubTestSupport.read(TopicNames.repartition(connector: connector), partitions: partitions, config: config) {
                guard let topic = record.headers.last(named: HeaderNames.sourceTopic)?.text,
                      let partition = record.headers.last(named: HeaderNames.sourcePartition)?.text,
                      let offset = record.headers.last(named: HeaderNames.sourceOffset)?.text else { continue }
                seen[topic, default: []].insert("\(partition)@\(offset)")
            }
        }
        return seen.mapValues(\.count)
    }

    /// Publishes the rounds in order, each once the previous one is re-keyed, so every instance
    /// count absorbs a conversation's messages in the same order.
    static func publishRounds(_ traffic: ScaleOutTraffic, config: KafkaConfig, label: String? = nil, origin: ContinuousClock.Instant = .now) async throws {
        for (round, records) in traffic.rounds.enumerated() {
            try await HubTestSupport.publish(records, config: config)
            let expected = traffic.published(through: round)
            try await waitUntil("round \(round) re-keyed", timeout: .seconds(60)) {
                let done = try await rekeyed(config)
                return expected.allSatisfy { done[$0.key, default: 0] >= $0.value }
            }
            if let label { say("\(label): round \(round) re-keyed at \(ContinuousClock.now - origin)") }
        }
    }

    /// What the hub produced: the latest activity per id, every alert record, per-id alert counts.
    struct Outcome {
        var activities: [String: [String: JSONValue]] = [:]
        var activityRecords = 0
        var alerts: [String: [String: JSONValue]] = [:]
        var alertRecords = 0

        init(_ config: KafkaConfig) async throws {
            for record in try await HubTestSupport.read(TopicNames.activities, partitions: 12, config: config).sorted(by: { ($0.partition, $0.offset) < ($1.partition, $1.offset) }) {
                guard let value = try? JSONParser.parse(record.value ?? []).objectValue, let id = value["activity_id"]?.stringValue else { continue }
                activities[id] = value
                activityRecords += 1
            }
            for record in try await HubTestSupport.read(TopicNames.alerts, partitions: 6, config: config) {
                guard let value = try? JSONParser.parse(record.value ?? []).objectValue, let id = value["alert_id"]?.stringValue else { continue }
                alerts[id] = value
                alertRecords += 1
            }
        }

        var chats: [String: [String: JSONValue]] { activities.filter { $0.value["kind"] == .string("chat") } }
        var calls: [String: [String: JSONValue]] { activities.filter { $0.value["kind"] == .string("call") } }

        /// Every conversation closed with all its messages, every call ended, every alert raised.
        func complete(_ traffic: ScaleOutTraffic) -> Bool {
            chats.count >= ScaleOutTraffic.conversations
                && chats.values.allSatisfy { $0["message_count"] == .number(String(ScaleOutTraffic.messagesPerConversation)) }
                && calls.count == 30 && calls.values.allSatisfy { !["ringing", "in_progress"].contains($0["disposition"]?.stringValue ?? "ringing") }
                && Set(alerts.keys).isSuperset(of: traffic.expectedAlerts)
        }

        /// The alerts as compared across runs: what they are about, not when they were raised.
        var alertSubjects: [String: [String: JSONValue]] {
            alerts.mapValues { alert in alert.filter { ["alert_id", "kind", "source_system", "activity_id", "conversation_id", "call_id", "external_id", "external_phone", "staff_id", "started_at"].contains($0.key) } }
        }
    }

    static func waitForOutcome(_ traffic: ScaleOutTraffic, config: KafkaConfig) async throws -> Outcome {
        var outcome = try await Outcome(config)
        try await waitUntil("every conversation closed, every call ended, every alert raised", timeout: .seconds(60)) {
            outcome = try await Outcome(config)
            return outcome.complete(traffic)
        }
        return outcome
    }

    @Test("3 instances, one SIGKILLed mid-conversation and replaced with an empty one: every message once, one activity per conversation, every alert id once, Twilio right; identical to one instance")
    func threeInstancesOneReplaced() async throws {
        let started = ContinuousClock.now
        let traffic = ScaleOutTraffic()
        let project = try Self.project()
        let cluster = try await EmbeddedKafkaCluster.start(brokers: 1)
        try await cluster.createTopics(try TopicCatalog.load(directory: project.root.appendingPathComponent("topics")).topics.map(\.kafkaRequest))
        let kafka = ReliabilityKafka(bootstrapServers: cluster.bootstrapServers)
        try await HubTestSupport.publish(ScaleOutTraffic.customerRecords(), config: kafka.config)

        // The same traffic on one instance alone (its own embedded cluster), alongside: mostly waiting, like the rest.
        let single = try Self.startHub(project, brokers: nil, name: "single")
        let aloneRun = Task { () throws -> Outcome in
            let singleKafka = KafkaConfig(bootstrapServers: try await single.waitForLine(prefix: "kafka: "))
            let singleAdmin = try await single.waitForLine(prefix: "admin: ")
            try await HubTestSupport.publish(ScaleOutTraffic.customerRecords(), config: singleKafka)
            try await Self.waitUntil("the single instance is ready") { try await Self.ready(singleAdmin) }
            try await Self.publishRounds(traffic, config: singleKafka)
            let outcome = try await Self.waitForOutcome(traffic, config: singleKafka)
            single.signal(SIGTERM)
            Self.say("one instance done after \(ContinuousClock.now - started)")
            return outcome
        }
        var hubs = try (0..<3).map { try Self.startHub(project, brokers: cluster.bootstrapServers, name: "\($0)") }
        var admins: [String] = []
        for hub in hubs { admins.append(try await hub.waitForLine(prefix: "admin: ")) }
        try await Self.waitUntil("three instances ready (index caught up, partitions assigned and restored)") {
            for admin in admins where try await !Self.ready(admin) { return false }
            return true
        }
        Self.say("three instances ready after \(ContinuousClock.now - started)")

        // SIGKILL instance 1 mid-conversation (half the messages re-keyed), from a thread of its own.
        let watcher = try ReliabilityWatcher(kafka: kafka, group: "scale-out-watcher")
        let victim = hubs[1].process
        async let killed = watcher.kill(
            victim, whenTotalOf: [TopicNames.repartition(connector: "im")], partitions: Self.partitions,
            reaches: Int64(ScaleOutTraffic.conversations * ScaleOutTraffic.messagesPerConversation / 2), delayMs: 0, timeout: .seconds(90))
        let rounds = Task { try await Self.publishRounds(traffic, config: kafka.config, label: "three", origin: started) }
        let atKill = try await killed
        #expect(atKill != nil, "instance 1 was killed mid-run")
        Self.say("killed instance 1 with \(atKill ?? -1) messages re-keyed at \(ContinuousClock.now - started)")
        let replacement = try Self.startHub(project, brokers: cluster.bootstrapServers, name: "replacement")
        hubs.append(replacement)
        let replacementAdmin = try await replacement.waitForLine(prefix: "admin: ")
        try await rounds.value
        Self.say("rounds published at \(ContinuousClock.now - started)")
        let outcome = try await Self.waitForOutcome(traffic, config: kafka.config)
        try await Self.waitUntil("the replacement is ready") { try await Self.ready(replacementAdmin) }
        let status = try await HTTPTestClient.call("GET", replacementAdmin + "/api/v1/connectors")
        let restore = String(decoding: status.body, as: UTF8.self)
        #expect(restore.contains("\"state_restore\":\"restored"), "the replacement restored state: \(restore.prefix(600))")
        Self.say("three instances done after \(ContinuousClock.now - started): \(outcome.activityRecords) activity records for \(outcome.activities.count) activities, \(outcome.alertRecords) alert records for \(outcome.alerts.count) alert ids")

        // Every message counted once, every conversation one activity, no fragments.
        #expect(outcome.chats.count == ScaleOutTraffic.conversations, "one activity per conversation: \(outcome.chats.keys.sorted())")
        let counted = outcome.chats.values.compactMap { $0["message_count"]?.numberText.flatMap { Int($0) } }.reduce(0, +)
        #expect(counted == ScaleOutTraffic.conversations * ScaleOutTraffic.messagesPerConversation)
        let linked = outcome.chats.values.filter { $0["customer_id"] != .null }.count
        #expect(linked == ScaleOutTraffic.customers)
        // Every alert id once (de-duplicated across instances), and the admin API lists each once.
        #expect(Set(outcome.alerts.keys) == traffic.expectedAlerts)
        let listed = try await HTTPTestClient.call("GET", admins[0] + "/api/v1/alerts?limit=200")
        let rows = try JSONDecoder().decode(AlertRows.self, from: listed.body).alerts.compactMap(\.alert_id)
        #expect(rows.count == Set(rows).count, "one row per alert id")
        #expect(Set(rows) == traffic.expectedAlerts)
        // Twilio: started_at is the ringing callback's time (seen by whichever instance), duration is CallDuration.
        for (sid, start) in traffic.twilioStart {
            let call = try #require(outcome.calls["call-\(sid)"])
            #expect(call["started_at"] == .string(UTCTimestamp.format(ms: start)), "\(sid)")
            #expect(call["duration_seconds"] == .number(String(traffic.twilioDuration[sid] ?? -1)), "\(sid)")
        }
        for hub in hubs where hub.process.isRunning { hub.signal(SIGTERM) }

        // The same traffic on one instance alone: identical canonical output.
        let alone = try await aloneRun.value
        #expect(alone.activities == outcome.activities, "activities differ: \(Set(alone.activities.keys).symmetricDifference(outcome.activities.keys).sorted())")
        for (id, activity) in alone.activities where outcome.activities[id] != activity {
            Issue.record("\(id): one instance \(activity) vs three \(outcome.activities[id] ?? [:])")
        }
        #expect(alone.alertSubjects == outcome.alertSubjects)
        Self.say("one instance: \(alone.activityRecords) activity records, \(alone.alertRecords) alert records; whole test \(ContinuousClock.now - started)")
        for hub in hubs + [single] { _ = try? await hub.waitForExit(timeout: .seconds(30)) }
    }

    struct AlertRows: Decodable {
        struct Row: Decodable { var alert_id: String? }
        var alerts: [Row]
    }
}
