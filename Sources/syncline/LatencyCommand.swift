import ArgumentParser
import Foundation
import SynclineMapping
import SynclineStore

/// `syncline latency samples|report`: delayed records and per-channel delay figures from the ledger.
struct LatencyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "latency", abstract: "Delayed records and delay figures from the ledger.",
        subcommands: [Samples.self, Report.self])

    struct Samples: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The latest delayed records, with source and ingest timestamps side by side.")
        @OptionGroup var common: CommonOptions
        @Option(help: "Only this connector.")
        var connector: String?
        @Option(help: "How many records.")
        var limit: Int = 5
        @Flag(help: "JSON lines instead of a table.")
        var json = false

        func run() async throws {
            let ledger = try openLedger(common)
            let samples = try ledger.latestDelayedSamples(connector: connector, limit: limit)
            if samples.isEmpty {
                Terminal.say("no delayed records\(connector.map { " for \($0)" } ?? "") in the ledger")
                return
            }
            if json {
                for sample in samples {
                    let encoder = JSONEncoder()
                    encoder.outputFormatting = [.sortedKeys]
                    Terminal.say(String(decoding: try encoder.encode(sample), as: UTF8.self))
                }
                return
            }
            var rows = [["EVENT", "CONNECTOR", "SOURCE TIME", "INGEST TIME", "ACK TIME", "DELAY", "MOSTLY", "SOURCE"]]
            for s in samples {
                rows.append([
                    s.eventID, s.connector, UTCTimestamp.format(ms: s.sourceMs), UTCTimestamp.format(ms: s.consumeMs),
                    UTCTimestamp.format(ms: s.ackMs), String(format: "%.1f s", Double(s.delayMs) / 1000), s.attribution,
                    "\(s.sourceTopic)[\(s.sourcePartition)]@\(s.sourceOffset)",
                ])
            }
            for line in TextTable.render(rows) { Terminal.say(line) }
        }
    }

    struct Report: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Per-channel counts, success rate and delayed share over a window.")
        @OptionGroup var common: CommonOptions
        @Option(help: "Window, e.g. 30m, 24h, 7d.")
        var since: String = "24h"

        func run() async throws {
            guard let windowMs = DurationText.milliseconds(since) else {
                Terminal.complain("syncline latency report: --since '\(since)' is not a duration like 30m, 24h or 7d")
                throw ExitCode(2)
            }
            let ledger = try openLedger(common)
            let nowMs = EpochClock.nowMs()
            let health = try ledger.channelHealth(sinceMs: nowMs - windowMs)
            var rows = [["CONNECTOR", "CONSUMED", "PRODUCED", "REJECTED", "DELAYED", "SKEWED", "SUCCESS", "DELAYED%"]]
            for h in health {
                rows.append([
                    h.connector, "\(h.consumed)", "\(h.produced)", "\(h.rejected)", "\(h.delayed)", "\(h.skewed)",
                    String(format: "%.2f%%", h.successRate * 100), String(format: "%.2f%%", h.delayedShare * 100),
                ])
            }
            Terminal.say("last \(since):")
            for line in TextTable.render(rows) { Terminal.say(line) }
        }
    }

    static func openLedger(_ common: CommonOptions) throws -> Ledger {
        let path = Ledger.path(inStateDirectory: common.stateURL)
        guard FileManager.default.fileExists(atPath: path) else {
            Terminal.complain("no ledger at \(path) (has the hub run with this --state?)")
            throw ExitCode(1)
        }
        return try Ledger(path: path)
    }
}

private func openLedger(_ common: CommonOptions) throws -> Ledger { try LatencyCommand.openLedger(common) }
