import ArgumentParser
import Foundation
import Logging
import SynclineAdmin
import SynclineConnectors
import SynclineMapping
import SynclineHub
import SynclineKafka

/// `syncline resync`: rewinds a connector's consumer group to a time after a fix, so the records
/// since then are processed again; `--dry-run` shows per partition how many that is. Refuses while
/// the group is active (the running hub reports the connector, or other members hold partitions).
struct ResyncCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resync", abstract: "Rewind a connector's consumer group to a time (offsets for times); --dry-run shows what would be re-processed.")

    @OptionGroup var common: CommonOptions

    @Option(help: "Connector name (in connectors/).")
    var connector: String

    @Option(help: "Rewind to the first record at or after this time: 30m, 24h, 7d or an ISO-8601 time.")
    var since: String

    @Option(help: "Bootstrap servers.")
    var brokers: String

    @Option(help: "Consumer group (default: syncline.<connector>, or syncline.<connector>-rekey for a stateful connector's raw topic).")
    var group: String?

    @Option(help: "Admin server of a running hub, asked whether it runs the connector.")
    var admin: String = "127.0.0.1:8080"

    @Flag(help: "Only show, per partition, where the group is and how many records would be re-processed.")
    var dryRun = false

    @Flag(help: "When the hub at --admin runs the connector: stop it there first (it drains, commits and leaves its group), rewind, then start it again. The hub runs on.")
    var stopFirst = false

    struct Answer: Decodable {
        var connectors: [ConnectorStatus]
    }

    func run() async throws {
        let logger = common.makeLogger()
        let catalog = try TopicsCommand.loadCatalog(common)
        let specs = (try? ConnectorSpecParser.loadAll(directory: common.rootURL.appendingPathComponent("connectors"))) ?? []
        guard let spec = specs.first(where: { $0.name == connector }) else {
            Terminal.complain("syncline resync: no connector named \(connector) in \(common.rootURL.appendingPathComponent("connectors").path)")
            throw ExitCode(2)
        }
        // A stateful connector's raw topic is read by its re-keying loop, in a group of its own.
        let loop = spec.isStateful ? StatefulWiring.rekeyName(spec.name) : spec.name
        let groupID = group ?? "syncline.\(loop)"
        guard let sinceMs = TimeArgument.epochMs(since, nowMs: EpochClock.nowMs()) else {
            Terminal.complain("syncline resync: --since '\(since)' is neither a duration (30m, 24h) nor a time (2026-12-01T08:00:00Z)")
            throw ExitCode(2)
        }
        let config = KafkaConfig(bootstrapServers: brokers, properties: KafkaConfig.environmentProperties(ProcessInfo.processInfo.environment))
        var partitions: [String: Int] = [:]
        for topic in spec.inputTopics {
            partitions[topic] = try await ToolKafka.partitionCount(topic: topic, catalog: catalog, config: config, logger: logger)
        }
        let counts = partitions
        // With --stop-first the connector leaves its group before the plan is made, so the plan's
        // committed offsets are the ones it committed on the way out.
        var stoppedInHub = false
        if stopFirst, !dryRun, let reason = await runningInHub(loop) {
            do {
                _ = try await AdminClient(address: admin).post("/api/v1/connectors/\(loop)/stop")
            } catch {
                Terminal.complain("syncline resync: \(reason), and stopping it there failed: \(error)")
                throw ExitCode(1)
            }
            stoppedInHub = true
            Terminal.say("stopped \(loop) in the hub at \(admin): drained, committed, out of group \(groupID)")
        }
        do {
            try await rewind(spec: spec, loop: loop, groupID: groupID, sinceMs: sinceMs, counts: counts, config: config, logger: logger)
        } catch {
            if stoppedInHub { await startAgain(loop) }
            throw error
        }
        if stoppedInHub { await startAgain(loop) }
    }

    /// Starts the connector stopped by --stop-first again, in the hub; it reads on from the (rewound) committed offsets.
    func startAgain(_ loop: String) async {
        do {
            _ = try await AdminClient(address: admin).post("/api/v1/connectors/\(loop)/start")
            Terminal.say("started \(loop) again in the hub at \(admin)")
        } catch {
            Terminal.complain("syncline resync: could not start \(loop) again in the hub at \(admin): \(error) — POST /api/v1/connectors/\(loop)/start, or restart the hub")
        }
    }

    func rewind(
        spec: ConnectorSpec, loop: String, groupID: String, sinceMs: Int64, counts: [String: Int], config: KafkaConfig, logger: Logger
    ) async throws {
        let plan = try await BlockingThread.run { () throws -> ResyncPlan in
            // Committed offsets first, then the end offsets (a group still consuming moves on meanwhile).
            let all = spec.inputTopics.flatMap { topic in (0..<Int32(counts[topic] ?? 1)).map { TopicPartition(topic: topic, partition: $0) } }
            let committed = try KafkaGroupRewinder(config: config, logger: logger).committed(group: groupID, partitions: all)
            var positions: [String: [KafkaOffsetSeeker.Position]] = [:]
            for topic in spec.inputTopics {
                positions[topic] = try KafkaOffsetSeeker(config: config, logger: logger).offsets(topic: topic, partitions: counts[topic] ?? 1, atOrAfterMs: sinceMs)
            }
            return ResyncPlan(positions: positions, committed: committed)
        }
        Terminal.say("group \(groupID) → first records at or after \(UTCTimestamp.format(ms: sinceMs))")
        for line in plan.lines { Terminal.say(line) }
        if dryRun { return }
        if let reason = await runningInHub(loop) {
            Terminal.complain("syncline resync: refusing: \(reason). Add --stop-first to stop it there for the rewind (the hub runs on), or stop the hub.")
            throw ExitCode(1)
        }
        let outcome = try await BlockingThread.run {
            try KafkaGroupRewinder(config: config, logger: logger).rewind(group: groupID, topics: spec.inputTopics, to: plan.targets)
        }
        switch outcome {
        case .groupActive(let assigned, let total):
            Terminal.complain(
                "syncline resync: refusing: group \(groupID) has other members (joining it gave this tool \(assigned) of \(total) partitions); nothing was committed. Stop the hub or `syncline run` reading it, then run resync again.")
            throw ExitCode(1)
        case .rewound(let confirmed):
            let moved = confirmed.filter { partition in plan.targets.contains { $0.topic == partition.topic && $0.partition == partition.partition && $0.offset == partition.offset } }
            Terminal.say("rewound \(groupID): \(moved.count) of \(plan.targets.count) partitions confirmed by the coordinator; \(plan.reprocessed) record(s) will be processed again when the connector starts")
            if moved.count != plan.targets.count { throw ExitCode(1) }
        }
    }

    /// Why the connector counts as running, when a hub's admin API says it runs it (nil otherwise,
    /// also when no hub answers: the group join then decides).
    func runningInHub(_ loop: String) async -> String? {
        guard let answer = try? await AdminClient(address: admin).get("/api/v1/connectors", as: Answer.self) else { return nil }
        guard let status = answer.connectors.first(where: { $0.name == loop }), status.state != "stopped" else { return nil }
        return "the hub at \(admin) runs \(loop) (state \(status.state), \(status.assignedPartitions) partitions)"
    }
}
