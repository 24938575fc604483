import ArgumentParser
import Foundation
import SynclineAdmin

/// `syncline status`: every connector of a running hub at a glance.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Show the connectors of a running hub (state, breaker, rate, lag, counts).")

    @Option(help: "Admin server of the running hub.")
    var admin: String = "127.0.0.1:8080"

    @Flag(help: "Print the JSON the admin API returned.")
    var json = false

    struct Answer: Decodable {
        var connectors: [ConnectorStatus]
    }

    func run() async throws {
        let answer: Answer
        do {
            answer = try await AdminClient(address: admin).get("/api/v1/connectors", as: Answer.self)
        } catch {
            Terminal.complain("syncline status: cannot reach the hub's admin API at \(admin): \(error)")
            throw ExitCode(1)
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            Terminal.say(String(decoding: try encoder.encode(answer.connectors), as: UTF8.self))
            return
        }
        let header = ["CONNECTOR", "STATE", "BREAKER", "REC/S", "CONSUMED", "PRODUCED", "DLQ", "IN-FLIGHT", "LAG", "LAG-S", "PARTS"]
        var rows = [header]
        for c in answer.connectors {
            rows.append([
                c.name, c.state, c.breaker, String(format: "%.1f", c.recordsPerSecond), "\(c.consumed)", "\(c.produced)",
                "\(c.deadLettered)", "\(c.inFlight)", "\(c.lagRecords)", String(format: "%.1f", c.lagSeconds), "\(c.assignedPartitions)",
            ])
        }
        for line in TextTable.render(rows) { Terminal.say(line) }
        for c in answer.connectors where !c.fieldEmptyRates.isEmpty {
            let worst = c.fieldEmptyRates.sorted { $0.value > $1.value }.prefix(8)
            let text = worst.map { "\($0.key) \(String(format: "%.0f%%", $0.value * 100))" }.joined(separator: ", ")
            Terminal.say("\(c.name) empty fields: \(text)")
        }
    }
}

/// Left-aligned text first column, right-aligned numbers: a plain aligned table for terminals.
enum TextTable {
    static func render(_ rows: [[String]]) -> [String] {
        guard let first = rows.first else { return [] }
        let widths = (0..<first.count).map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { index, cell in
                let pad = String(repeating: " ", count: widths[index] - cell.count)
                return index == 0 ? cell + pad : pad + cell
            }.joined(separator: "  ")
        }
    }
}
