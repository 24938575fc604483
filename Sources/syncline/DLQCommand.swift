import ArgumentParser
import Foundation
import SynclineMapping
import SynclineSecurity
import SynclineKafka
import SynclineStore

/// `syncline dlq list|replay`: why records were rejected, and re-publishing them after a fix.
struct DLQCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dlq", abstract: "Rejected records: list them with their reasons, replay them after a fix.",
        subcommands: [List.self, Replay.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Rejected records with stage, code, field, route and message (from the ledger).")
        @OptionGroup var common: CommonOptions
        @Option(help: "Connector name.")
        var connector: String?
        @Option(help: "Only this error code.")
        var code: String?
        @Option(help: "At most this many (newest first).")
        var limit: Int = 50
        @Flag(help: "Show the rejected values quoted in the reasons (phones, emails, text) unmasked; local use only.")
        var unmasked = false

        func run() async throws {
            let ledger = try LatencyCommand.openLedger(common)
            let entries = try ledger.deadLetters(connector: connector, code: code, limit: limit)
            if entries.isEmpty {
                Terminal.say("no rejected records\(connector.map { " for \($0)" } ?? "")\(code.map { " with code \($0)" } ?? "")")
                return
            }
            var rows = [["FAILED AT", "CONNECTOR", "STAGE", "CODE", "FIELD", "ROUTE", "SOURCE", "DLQ"]]
            for e in entries {
                rows.append([
                    UTCTimestamp.format(ms: e.failedAtMs), e.connector, e.stage, e.code, e.field ?? "-", e.rule ?? "-",
                    "\(e.sourceTopic)[\(e.sourcePartition)]@\(e.sourceOffset)", "\(e.dlqTopic)[\(e.dlqPartition)]@\(e.dlqOffset)",
                ])
            }
            for line in TextTable.render(rows) { Terminal.say(line) }
            Terminal.say("")
            for e in entries.prefix(10) {
                Terminal.say("\(e.sourceTopic)[\(e.sourcePartition)]@\(e.sourceOffset): \(unmasked ? e.message : PersonalDataMask.text(e.message))")
            }
        }
    }

    struct Replay: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Re-publish a connector's DLQ records to their source topic (after a fix), with a replay counter.")
        @OptionGroup var common: CommonOptions
        @Option(help: "Connector name.")
        var connector: String
        @Option(help: "Only records rejected with this error code.")
        var code: String?
        @Option(help: "Bootstrap servers (the `kafka:` line of `syncline up`).")
        var brokers: String
        @Option(help: "Refuse records already replayed this many times.")
        var maxReplays: Int = 3
        @Flag(help: "Show what would be replayed without publishing.")
        var dryRun = false

        func run() async throws {
            let logger = common.makeLogger()
            let catalog = try TopicsCommand.loadCatalog(common)
            let specs = (try? ConnectorSpecParser.loadAll(directory: common.rootURL.appendingPathComponent("connectors"))) ?? []
            let dlqTopic = specs.first { $0.name == connector }?.dlqTopic ?? TopicNames.dlq(connector: connector)
            let partitions = catalog[dlqTopic]?.partitions ?? 1
            let config = KafkaConfig(bootstrapServers: brokers, properties: KafkaConfig.environmentProperties(ProcessInfo.processInfo.environment))
            let dead = try await BlockingThread.run {
                try KafkaTopicReader(config: config, logger: logger).readAll(topic: dlqTopic, partitions: partitions)
            }
            let ledger = try Ledger(path: Ledger.path(inStateDirectory: common.stateURL))
            let done = try ledger.replayedRecords(dlqTopic: dlqTopic)
            // What the ledger knows was rejected but the topic no longer holds (the embedded cluster
            // keeps topics in memory, only while `syncline up` runs; a real cluster's retention).
            let onTopic = Set(dead.map { "\($0.partition):\($0.offset)" })
            let missing = try ledger.deadLetters(connector: connector, code: code, limit: 100_000).filter {
                $0.dlqTopic == dlqTopic && !onTopic.contains("\($0.dlqPartition):\($0.dlqOffset)") && !done.contains("\($0.dlqPartition):\($0.dlqOffset)")
            }
            let producer = try KafkaProducer(config: config, logger: logger)
            defer { producer.close() }
            var replayed = 0
            var refused = 0
            var skipped = 0
            for record in dead {
                guard record.headers.last(named: HeaderNames.connector)?.text == connector else { continue }
                if let code, record.headers.last(named: HeaderNames.errorCode)?.text != code { continue }
                if done.contains("\(record.partition):\(record.offset)") {
                    skipped += 1
                    continue
                }
                switch DeadLetterReplay.prepare(record, maxReplays: maxReplays) {
                case .refused(let reason):
                    refused += 1
                    Terminal.say("refused \(record.coordinates): \(reason)")
                case .republish(let output, let count):
                    if dryRun {
                        Terminal.say("would replay \(record.coordinates) → \(output.topic) (replay \(count))")
                    } else {
                        _ = try await producer.send(output)
                        try ledger.recordReplayed(
                            connector: connector, dlqTopic: dlqTopic, partition: record.partition, offset: record.offset,
                            replayCount: count, atMs: EpochClock.nowMs())
                    }
                    replayed += 1
                }
            }
            Terminal.say("\(dryRun ? "would replay" : "replayed") \(replayed), refused \(refused) (over --max-replays \(maxReplays)), skipped \(skipped) already replayed")
            if !missing.isEmpty {
                for entry in missing.prefix(10) {
                    Terminal.say("missing \(entry.dlqTopic)/\(entry.dlqPartition)@\(entry.dlqOffset): \(entry.code) from \(entry.sourceTopic)/\(entry.sourcePartition)@\(entry.sourceOffset)")
                }
                Terminal.complain(
                    "syncline dlq replay: \(missing.count) DLQ record(s) in the ledger are no longer on \(dlqTopic), so they cannot be replayed. "
                        + "The embedded cluster keeps its topics in memory only while `syncline up` runs; on a real cluster, check the topic's retention. "
                        + "Re-publish them from the upstream system (sources above).")
                throw ExitCode(1)
            }
        }
    }
}
