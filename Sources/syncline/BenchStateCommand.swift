import ArgumentParser
import Foundation
import Logging
import SynclineConnectors
import SynclineMapping
import SynclineKafka
import SynclineRuntime
import SynclineStore

/// `syncline bench-state` (hidden): what keeping state in Kafka costs, on the embedded cluster. The
/// telephony connector's stateful loop drains the same N call reports (one CDR per call, so one
/// state change per record) twice per repetition: with the state kept locally only, and with every
/// state change also produced to `hub.state.telephony.v1` (the hub's way) — the difference per
/// record is the changelog's extra produce cost. Then it restores the changelog's partitions into a
/// fresh cache, one partition at a time and all at once. Used by ops/bench-state.
struct BenchStateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-state",
        abstract: "The changelog's extra cost per record and the restore time of a partition's state (embedded cluster).",
        shouldDisplay: false)

    @OptionGroup var common: CommonOptions

    @Option(help: "Call reports per run (one CDR per call: one state change each).")
    var records: Int = 20_000

    @Option(help: "Partitions of the repartition and changelog topics.")
    var partitions: Int = 12

    @Option(name: .customLong("repeat"), help: "Repetitions (each: one run without and one with the changelog).")
    var repetitions: Int = 2

    func run() async throws {
        let logger: Logger = {
            var logger = Logger(label: "syncline.bench-state")
            logger.logLevel = .error
            return logger
        }()
        let root = common.rootURL
        let catalog = try TopicCatalog.load(directory: root.appendingPathComponent("topics"))
        let spec = try ConnectorSpecParser.load(file: root.appendingPathComponent("connectors/telephony.yaml"))
        let input = TopicNames.repartition(connector: spec.name)
        let cluster = try await EmbeddedKafkaCluster.start(brokers: 1)
        try await cluster.createTopic(input, partitions: partitions)
        for topic in [TopicNames.activities, TopicNames.alerts, spec.dlqTopic, TopicNames.latency] {
            try await cluster.createTopic(topic, partitions: catalog[topic]?.partitions ?? 6)
        }
        let kafka = KafkaConfig(bootstrapServers: cluster.bootstrapServers)
        Terminal.say("machine: \(ProcessInfo.processInfo.activeProcessorCount) CPUs, load average \(Self.loadAverage())")
        Terminal.say("publishing \(records) call reports (CDR JSON, one call each) to \(input), \(partitions) partitions")
        try await Self.publish((0..<records).map { Self.cdr($0, topic: input) }, config: kafka)

        var without: [RunSummary] = []
        var with: [RunSummary] = []
        var changelog = TopicNames.state(connector: spec.name)
        for repetition in 0..<repetitions {
            for kept in [false, true] {
                let (summary, written) = try await drain(
                    spec: spec, catalog: catalog, cluster: cluster, kafka: kafka, changelog: kept, group: "r\(repetition)\(kept ? "c" : "l")",
                    logger: logger)
                if kept { changelog = written }
                if kept { with.append(summary) } else { without.append(summary) }
                Terminal.say(String(
                    format: "run %d %@: %.2f s window, %.1f µs wall and %.1f µs CPU per record, %d outputs",
                    repetition + 1, kept ? "with changelog   " : "local state only", summary.windowSeconds ?? 0,
                    perRecord(summary.windowSeconds), perRecord(summary.windowCPUSeconds), summary.recordsOut))
            }
        }
        let wall = Self.median(with.map { perRecord($0.windowSeconds) }) - Self.median(without.map { perRecord($0.windowSeconds) })
        let cpu = Self.median(with.map { perRecord($0.windowCPUSeconds) }) - Self.median(without.map { perRecord($0.windowCPUSeconds) })
        let written = changelog
        let changes = try await BlockingThread.run { [self] in
            try KafkaTopicReader(config: kafka, logger: logger).readPartitions(topic: written, partitions: (0..<Int32(partitions)).map { $0 })
        }
        let stateRecords = changes.values.map(\.count).reduce(0, +)
        let stateBytes = changes.values.flatMap { $0 }.map { ($0.value?.count ?? 0) + ($0.key?.count ?? 0) }.reduce(0, +)
        Terminal.say(String(
            format: "changelog: extra %.1f µs wall and %.1f µs CPU per record (medians); %d state records written, %.0f bytes each",
            wall, cpu, stateRecords, Double(stateBytes) / Double(max(1, stateRecords))))

        // Restore into a fresh cache: each partition alone, then all at once (what an assignment does).
        var restoring = spec
        restoring.name = TopicNames.connector(ofState: changelog) ?? restoring.name
        let restorer = try restorerOnFreshStore(spec: restoring, catalog: catalog, kafka: kafka, logger: logger)
        var single: [PartitionRestore] = []
        for partition in 0..<Int32(partitions) {
            let started = ContinuousClock.now
            let done = try await BlockingThread.run { try restorer.restore(partitions: [TopicPartition(topic: input, partition: partition)]) }
            let seconds = Self.seconds(since: started)
            single.append(PartitionRestore(partition: partition, records: done.first?.records ?? 0, keys: done.first?.keys ?? 0, seconds: seconds))
        }
        let started = ContinuousClock.now
        let all = try await BlockingThread.run { [self] in
            try restorer.restore(partitions: (0..<Int32(partitions)).map { TopicPartition(topic: input, partition: $0) })
        }
        let allSeconds = Self.seconds(since: started)
        let perPartition = Self.median(single.map(\.seconds))
        let recordsPerPartition = Self.median(single.map { Double($0.records) })
        Terminal.say(String(
            format: "restore: one partition (%.0f state records) %.3f s median (min %.3f, max %.3f); all %d partitions (%d records) %.3f s",
            recordsPerPartition, perPartition, single.map(\.seconds).min() ?? 0, single.map(\.seconds).max() ?? 0, partitions,
            all.map(\.records).reduce(0, +), allSeconds))
        Terminal.say("load average after: \(Self.loadAverage())")
        withExtendedLifetime(cluster) {}
    }

    func perRecord(_ seconds: Double?) -> Double { (seconds ?? 0) * 1_000_000 / Double(max(1, records)) }

    /// Drains the input once with a fresh store, with or without the changelog.
    func drain(
        spec: ConnectorSpec, catalog: TopicCatalog, cluster: EmbeddedKafkaCluster, kafka: KafkaConfig, changelog: Bool, group: String,
        logger: Logger
    ) async throws -> (summary: RunSummary, changelog: String) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("bench-state-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let assembly = ConnectorAssembly(
            catalog: catalog, identity: try IdentityIndex(path: IdentityIndex.path(inStateDirectory: directory)),
            activities: try ActivityStore(path: ActivityStore.path(inStateDirectory: directory)), logger: logger)
        // Each run its own changelog (a connector name of its own), so no run restores another's state.
        var stateful = spec
        stateful.name = "\(spec.name)-\(group)"
        stateful.inputTopics = [TopicNames.repartition(connector: spec.name)]
        if changelog { try await cluster.createTopic(TopicNames.state(connector: stateful.name), partitions: partitions) }
        let parts = try assembly.build(stateful, kafka: changelog ? kafka : nil).parts
        var options = ConnectorRuntime.Options(kafka: kafka, groupID: group, exitAfter: records)
        options.restorer = parts.restorer
        let summary = try await ConnectorRuntime(spec: stateful, pipeline: parts.pipeline, options: options, logger: logger).run()
        return (summary, TopicNames.state(connector: stateful.name))
    }

    func restorerOnFreshStore(spec: ConnectorSpec, catalog: TopicCatalog, kafka: KafkaConfig, logger: Logger) throws -> any PartitionStateRestorer {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("bench-state-restore-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let assembly = ConnectorAssembly(
            catalog: catalog, identity: try IdentityIndex(path: IdentityIndex.path(inStateDirectory: directory)),
            activities: try ActivityStore(path: ActivityStore.path(inStateDirectory: directory)), logger: logger)
        let parts = try assembly.build(spec, kafka: kafka).parts
        guard let restorer = parts.restorer else { throw ValidationError("the telephony processor has no restorer") }
        return restorer
    }

    /// A missed inbound call from an outside number to extension 8001 (no alert: one activity, one state change).
    static func cdr(_ n: Int, topic: String) -> OutputRecord {
        let id = "bench.\(n)"
        let minute = n % 60
        let body = #"{"src":"1390000\#(String(format: "%04d", n % 10_000))","dst":"8001","start":"2024-05-14 09:\#(String(format: "%02d", minute)):00","answer":"","end":"2024-05-14 09:\#(String(format: "%02d", minute)):30","duration":30,"billsec":0,"disposition":"NO ANSWER","uniqueid":"\#(id)"}"#
        return OutputRecord(topic: topic, key: Array("asterisk:\(id)".utf8), value: Array(body.utf8))
    }

    static func publish(_ records: [OutputRecord], config: KafkaConfig) async throws {
        try await BlockingThread.run {
            let producer = try KafkaProducer(config: config, logger: Logger(label: "syncline.bench-state"))
            defer { producer.close() }
            try producer.produceAll(records)
        }
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return 0 }
        return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }

    static func seconds(since start: ContinuousClock.Instant) -> Double {
        Double((ContinuousClock.now - start) / .microseconds(1)) / 1_000_000
    }

    static func loadAverage() -> String {
        (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?.split(separator: " ").prefix(3).joined(separator: " ") ?? "?"
    }
}
