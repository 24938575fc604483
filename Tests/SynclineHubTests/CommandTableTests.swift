import Foundation
import Testing

/// The README's command table lists every command the binary offers (`syncline --help`), so a new
/// command cannot ship undocumented.
@Suite("README command table")
struct CommandTableTests {
    @Test("every subcommand of `syncline --help` has a row in the README's command table")
    func everyCommandDocumented() async throws {
        let help = try HubProcess(["--help"])
        #expect(try await help.waitForExit() == 0)
        let lines = help.output.drop { $0 != "SUBCOMMANDS:" }.dropFirst()
        let names = lines.compactMap { line -> String? in
            // `  name   abstract`: a command name is lower-case letters and dashes.
            guard line.hasPrefix("  "), !line.hasPrefix("   "), let name = line.split(separator: " ").first,
                name.allSatisfy({ ("a"..."z").contains($0) || $0 == "-" })
            else { return nil }
            return String(name)
        }
        #expect(names.count >= 15, "parsed \(names) from \(help.output)")
        #expect(Set(["diff", "trace", "lineage", "resync"]).isSubset(of: Set(names)))
        let readme = try String(contentsOf: ProjectFixture.repositoryRoot.appendingPathComponent("README.md"), encoding: .utf8)
        for name in names {
            #expect(readme.contains("| `syncline \(name) ") || readme.contains("| `syncline \(name)`"), "README's command table has no row for `syncline \(name)`")
        }
    }
}
