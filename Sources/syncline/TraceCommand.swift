import ArgumentParser
import Foundation
import Logging
import SynclineMapping
import SynclineTooling
import SynclineSecurity
import SynclineKafka
import SynclineStore

/// `syncline trace`: one record's path from its raw topic through every output, DLQ entry, alert and
/// latency observation its lineage headers tie to it, each with its time and delay after the raw record.
struct TraceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trace",
        abstract: "Follow one record (by upstream event id, or --key with --topic) through every output, DLQ entry and alert.")

    @OptionGroup var common: CommonOptions

    @Argument(help: "The upstream event id (ce_id of the outputs).")
    var eventID: String?

    @Option(help: "The raw record's key (with --topic): only the partitions the key maps to are read.")
    var key: String?

    @Option(help: "The raw topic of --key.")
    var topic: String?

    @Option(help: "Bootstrap servers.")
    var brokers: String

    @Option(help: "How far back to look for the record: 30m, 24h, 7d or an ISO-8601 time.")
    var since: String = "24h"

    @Option(help: "How long after the raw record to look for what was made from it.")
    var within: String = "15m"

    @Option(help: "With --key: trace at most this many of the key's latest records.")
    var limit: Int = 3

    @Flag(help: "Show keys, phones and reasons unmasked (local use only).")
    var unmasked = false

    func run() async throws {
        let logger = common.makeLogger()
        let catalog = try TopicsCommand.loadCatalog(common)
        let specs = (try? ConnectorSpecParser.loadAll(directory: common.rootURL.appendingPathComponent("connectors"))) ?? []
        let config = KafkaConfig(bootstrapServers: brokers, properties: KafkaConfig.environmentProperties(ProcessInfo.processInfo.environment))
        let nowMs = EpochClock.nowMs()
        guard let sinceMs = TimeArgument.epochMs(since, nowMs: nowMs), let withinMs = DurationText.milliseconds(within) else {
            Terminal.complain("syncline trace: --since takes 30m, 24h or an ISO-8601 time; --within a duration like 15m")
            throw ExitCode(2)
        }
        let ledgerPath = Ledger.path(inStateDirectory: common.stateURL)
        let ledger = FileManager.default.fileExists(atPath: ledgerPath) ? try Ledger(path: ledgerPath) : nil
        let finder = TraceOrigins(catalog: catalog, specs: specs, config: config, logger: logger, sinceMs: sinceMs)
        let origins: [InputRecord]
        if let key, let topic {
            origins = try await finder.byKey(Array(key.utf8), topic: topic, limit: limit)
        } else if let eventID, key == nil, topic == nil {
            origins = try await finder.byEventID(eventID, ledger: ledger)
        } else {
            Terminal.complain("syncline trace: give an EVENT_ID, or --key K with --topic T")
            throw ExitCode(2)
        }
        guard !origins.isEmpty else {
            Terminal.complain("syncline trace: no such record since \(UTCTimestamp.format(ms: sinceMs)) (widen --since, or check --brokers)")
            throw ExitCode(1)
        }
        let masker = PIIMasker(unmasked: unmasked)
        let mask: (String) -> String = { masker.mask($0) }
        // What was made from the records is written after them: read each downstream topic from a
        // little before the first (clock skew between hosts) to --within after the last.
        let firstMs = origins.compactMap(\.timestampMs).min() ?? sinceMs
        let lastMs = origins.compactMap(\.timestampMs).max() ?? firstMs
        var candidates: [InputRecord] = []
        for outputTopic in finder.downstreamTopics(of: Set(origins.map(\.topic))) {
            guard let partitions = catalog[outputTopic]?.partitions else { continue }
            candidates += try await ToolKafka.readWindow(
                topic: outputTopic, partitions: partitions, fromMs: firstMs - 5_000, toMs: lastMs + withinMs, config: config, logger: logger)
        }
        for (index, origin) in origins.enumerated() {
            if index > 0 { Terminal.say("") }
            let hops = RecordTracer.follow(origin, candidates: candidates)
            Terminal.say("trace of \(origin.coordinates): \(hops.count - 1) record(s) made from it")
            for hop in hops { Terminal.say(hop.line(mask: mask)) }
            for line in try ledgerLines(hops.map(\.record), ledger: ledger, mask: mask) { Terminal.say(line) }
        }
    }

    /// What the ledger knows of the record and the hops made from it (a stateful connector's entries
    /// name its repartition record): DLQ index entries and delayed-record samples with the attribution.
    func ledgerLines(_ records: [InputRecord], ledger: Ledger?, mask: (String) -> String) throws -> [String] {
        guard let ledger else { return ["ledger: none at \(Ledger.path(inStateDirectory: common.stateURL))"] }
        var lines: [String] = []
        for entry in try ledger.deadLetters(connector: nil, code: nil, limit: 100_000)
        where records.contains(where: { Self.matches(entry.sourceTopic, entry.sourcePartition, entry.sourceOffset, $0) }) {
            lines.append("ledger dlq: \(UTCTimestamp.format(ms: entry.failedAtMs)) \(entry.connector) \(entry.stage)/\(entry.code)\(entry.field.map { " field \($0)" } ?? "") → \(entry.dlqTopic)[\(entry.dlqPartition)]@\(entry.dlqOffset): \(mask(entry.message))")
        }
        for sample in try ledger.latestDelayedSamples(connector: nil, limit: 100_000)
        where records.contains(where: { Self.matches(sample.sourceTopic, sample.sourcePartition, sample.sourceOffset, $0) }) {
            lines.append(
                "ledger delayed: \(sample.connector) → \(sample.outputTopic): source \(UTCTimestamp.format(ms: sample.sourceMs)), broker \(UTCTimestamp.format(ms: sample.brokerMs)), consumed \(UTCTimestamp.format(ms: sample.consumeMs)), acknowledged \(UTCTimestamp.format(ms: sample.ackMs)); delay \(sample.delayMs) ms, attributed to \(sample.attribution)")
        }
        if lines.isEmpty { lines.append("ledger: no DLQ entry and no delayed sample for this record") }
        return lines
    }

    static func matches(_ topic: String, _ partition: Int, _ offset: Int64, _ origin: InputRecord) -> Bool {
        topic == origin.topic && Int32(partition) == origin.partition && offset == origin.offset
    }
}
