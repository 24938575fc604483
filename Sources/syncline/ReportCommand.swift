import ArgumentParser
import Foundation
import SynclineMapping
import SynclineStore

/// `syncline report followups --since 7d`: per owner, the customers with a lead or ticket in the
/// period who have gone longest without a logged call, chat or ticket — from the hub's state.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report", abstract: "Business reports from the hub's state.", subcommands: [Followups.self])

    struct Followups: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Per owner, the top customers with a lead or ticket in the period and the longest time since their last logged activity.")
        @OptionGroup var common: CommonOptions
        @Option(help: "Period, e.g. 7d, 24h.")
        var since: String = "7d"
        @Option(help: "Customers per owner.")
        var limit: Int = 5
        @Flag(help: "JSON instead of a table.")
        var json = false

        func run() async throws {
            guard let windowMs = DurationText.milliseconds(since) else {
                Terminal.complain("syncline report followups: --since '\(since)' is not a duration like 24h or 7d")
                throw ExitCode(2)
            }
            let activitiesPath = ActivityStore.path(inStateDirectory: common.stateURL)
            let identityPath = IdentityIndex.path(inStateDirectory: common.stateURL)
            guard FileManager.default.fileExists(atPath: activitiesPath), FileManager.default.fileExists(atPath: identityPath) else {
                Terminal.complain("no hub state at \(common.stateURL.path) (has the hub run with this --state?)")
                throw ExitCode(1)
            }
            let nowMs = EpochClock.nowMs()
            let report = try FollowUpReport.build(
                activities: try ActivityStore(path: activitiesPath), identity: try IdentityIndex(path: identityPath),
                sinceMs: nowMs - windowMs, nowMs: nowMs, perOwner: max(1, limit))
            if json {
                Terminal.say(Self.json(report).jsonText)
                return
            }
            if report.owners.isEmpty {
                Terminal.say("no customer had a lead or ticket in the last \(since)")
                return
            }
            for owner in report.owners {
                Terminal.say("owner \(owner.owner)\(owner.ownerName.map { " (\($0))" } ?? "")")
                var rows = [["CUSTOMER", "NAME", "LAST CONTACT", "VIA", "SINCE", "LEADS", "TICKETS"]]
                for entry in owner.customers {
                    rows.append([
                        entry.customerID, entry.name ?? "", entry.lastContactMs.map { UTCTimestamp.format(ms: $0) } ?? "never",
                        entry.lastContactKind ?? "", entry.sinceContactMs.map(Self.age) ?? "—", String(entry.leads), String(entry.tickets),
                    ])
                }
                for line in TextTable.render(rows) { Terminal.say("  " + line) }
            }
        }

        static func age(_ ms: Int64) -> String {
            let hours = ms / 3_600_000
            return hours >= 48 ? "\(hours / 24) d" : hours >= 1 ? "\(hours) h" : "\(ms / 60_000) min"
        }

        static func json(_ report: FollowUpReport) -> JSONValue {
            .object([
                "since": .string(UTCTimestamp.format(ms: report.sinceMs)),
                "generated_at": .string(UTCTimestamp.format(ms: report.generatedMs)),
                "owners": .array(report.owners.map { owner in
                    .object([
                        "owner": .string(owner.owner),
                        "owner_name": owner.ownerName.map(JSONValue.string) ?? .null,
                        "customers": .array(owner.customers.map { entry in
                            .object([
                                "customer_id": .string(entry.customerID),
                                "name": entry.name.map(JSONValue.string) ?? .null,
                                "last_contact_at": entry.lastContactMs.map { .string(UTCTimestamp.format(ms: $0)) } ?? .null,
                                "last_contact_kind": entry.lastContactKind.map(JSONValue.string) ?? .null,
                                "leads": .number(String(entry.leads)),
                                "tickets": .number(String(entry.tickets)),
                            ])
                        }),
                    ])
                }),
            ])
        }
    }
}
