import ArgumentParser
import Foundation
import SynclineConnectors
import SynclineMapping
import SynclineTooling
import SynclineSecurity
import SynclineKafka
import SynclineStore

/// `syncline diff`: the sandbox upgrade — runs the deployed (or `--against`) mapping and a new one over
/// real recent records without producing anything, and reports what the change would do to them.
struct DiffCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Compare a new connector mapping with the deployed one over real records; exit 1 on new rejections unless --accept.")

    @OptionGroup var common: CommonOptions

    @Option(help: "The new connector file.")
    var connector: String

    @Option(help: "The old connector file (default: the version last deployed, from the ledger in --state).")
    var against: String?

    @Option(help: "Bootstrap servers to read records from (with --from-topic, --last or --since).")
    var brokers: String?

    @Option(help: "Topic to read (default: the connector's first input topic).")
    var fromTopic: String?

    @Option(help: "The last N records of each partition (default 1000 unless --since).")
    var last: Int?

    @Option(help: "Records since a time: 30m, 24h, 7d, or an ISO-8601 time.")
    var since: String?

    @Option(help: "A samples folder instead of Kafka (*.json: one record each; *.jsonl: one per line).")
    var samples: String?

    @Option(help: "Examples shown per finding.")
    var examples: Int = 3

    @Flag(help: "Exit 0 even when records would newly go to the DLQ.")
    var accept = false

    @Flag(help: "Show phones and emails in examples unmasked (local use only).")
    var unmasked = false

    func run() async throws {
        let logger = common.makeLogger()
        let catalog = try TopicsCommand.loadCatalog(common)
        let new = try Self.spec(file: connector)
        let old = try oldSpec(named: new.name)
        if new.processor != nil {
            Terminal.complain("syncline diff: connector \(new.name) uses the '\(new.processor ?? "")' processor, whose records are shaped by code (and, for im and telephony, by state across records); diff compares declared mappings only")
            throw ExitCode(2)
        }
        let newPipeline = try Self.pipeline(new, catalog: catalog, role: "new")
        let oldPipeline = try Self.pipeline(old.spec, catalog: catalog, role: "old")
        let topic = fromTopic ?? new.inputTopics.first ?? ""
        let inputs: [SandboxInput]
        let origin: String
        if let samples {
            inputs = SandboxSamples.load(directory: URL(fileURLWithPath: samples, isDirectory: true), topic: topic)
            origin = "samples in \(samples)"
        } else if let brokers {
            let config = KafkaConfig(bootstrapServers: brokers, properties: KafkaConfig.environmentProperties(ProcessInfo.processInfo.environment))
            let partitions = try await ToolKafka.partitionCount(topic: topic, catalog: catalog, config: config, logger: logger)
            let nowMs = EpochClock.nowMs()
            if let since {
                guard let sinceMs = TimeArgument.epochMs(since, nowMs: nowMs) else {
                    Terminal.complain("syncline diff: --since '\(since)' is neither a duration (30m, 24h) nor a time (2026-12-01T08:00:00Z)")
                    throw ExitCode(2)
                }
                let records = try await ToolKafka.readSince(
                    topic: topic, partitions: (0..<Int32(partitions)).map { $0 }, sinceMs: sinceMs, config: config, logger: logger)
                inputs = records.prefix(last ?? Int.max).map(SandboxInput.init)
                origin = "\(topic) since \(UTCTimestamp.format(ms: sinceMs))"
            } else {
                let count = last ?? 1_000
                let records = try await BlockingThread.run {
                    try KafkaRangeReader(config: config, logger: logger).tail(topic: topic, partitions: partitions, count: count, timeout: .seconds(120))
                }
                inputs = records.map(SandboxInput.init)
                origin = "\(topic), the last \(count) of each of its \(partitions) partitions"
            }
        } else {
            Terminal.complain("syncline diff: give the records to compare on: --brokers LIST (with --from-topic, --last N or --since T) or --samples DIR")
            throw ExitCode(2)
        }
        let report = MappingDiff.run(
            old: oldPipeline, new: newPipeline, inputs: inputs, oldVersion: old.spec.mappingVersion, newVersion: new.mappingVersion,
            exampleLimit: examples)
        Terminal.say("connector \(new.name): \(old.spec.mappingVersion) (\(old.origin)) → \(new.mappingVersion) (\(connector))")
        Terminal.say("records from \(origin); nothing is produced")
        let masker = PIIMasker(unmasked: unmasked)
        for line in report.lines(mask: { masker.mask($0) }) { Terminal.say(line) }
        if !report.newRejections.isEmpty {
            if accept {
                Terminal.say("accepted: \(report.newRejections.count) record(s) would newly go to \(new.dlqTopic) (--accept)")
            } else {
                Terminal.complain("syncline diff: \(report.newRejections.count) record(s) would newly go to \(new.dlqTopic); rerun with --accept to accept that")
                throw ExitCode(1)
            }
        }
    }

    /// The old mapping: `--against`, else the version of the same connector the ledger saw deployed last.
    func oldSpec(named name: String) throws -> (spec: ConnectorSpec, origin: String) {
        if let against { return (try Self.spec(file: against), against) }
        let path = Ledger.path(inStateDirectory: common.stateURL)
        guard FileManager.default.fileExists(atPath: path), let deployed = try Ledger(path: path).mappingVersions(connector: name).first else {
            Terminal.complain("syncline diff: no deployed version of \(name) in the ledger at \(path); name the old file with --against OLD.yaml")
            throw ExitCode(2)
        }
        do throws(ConfigProblems) {
            let spec = try ConnectorSpecParser.parse(deployed.content, file: deployed.file)
            return (spec, "deployed \(UTCTimestamp.format(ms: deployed.lastDeployedMs)), from the ledger")
        } catch {
            Terminal.complain("syncline diff: the deployed version of \(name) in the ledger does not parse any more:\n\(error)")
            throw ExitCode(2)
        }
    }

    static func spec(file: String) throws -> ConnectorSpec {
        do throws(ConfigProblems) {
            return try ConnectorSpecParser.load(file: URL(fileURLWithPath: file))
        } catch {
            Terminal.complain("syncline diff: \(file) does not load:\n\(error)")
            throw ExitCode(2)
        }
    }

    /// The interpreter path, as `syncline map` and `syncline test` run it.
    static func pipeline(_ spec: ConnectorSpec, catalog: TopicCatalog, role: String) throws -> RecordPipeline {
        do throws(ConfigProblems) {
            return try ConnectorAssembly.dryRun(catalog: catalog).build(spec).pipeline
        } catch {
            Terminal.complain("syncline diff: the \(role) mapping (\(spec.file)) does not pass validation:\n\(error)")
            throw ExitCode(2)
        }
    }
}
