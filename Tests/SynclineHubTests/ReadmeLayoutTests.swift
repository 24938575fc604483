import Foundation
import Testing

/// The README's layout section names every target of `Package.swift` under `Sources/`, and nothing
/// that is not one, so a new module cannot ship undescribed (or a removed one linger).
@Suite("README layout")
struct ReadmeLayoutTests {
    @Test("the layout's Sources/ entries are exactly Package.swift's source targets")
    func layoutMatchesPackage() throws {
        let root = ProjectFixture.repositoryRoot
        let package = try String(contentsOf: root.appendingPathComponent("Package.swift"), encoding: .utf8)
        // `.target(name: "X"`, `.executableTarget(name: "X"` and `.systemLibrary(name: "X"`, not test targets or support.
        var targets = Set<String>()
        for match in package.matches(of: /\.(?:target|executableTarget|systemLibrary)\(\s*name:\s*"([^"]+)"(?<rest>[^)]*)/) {
            guard !match.output.rest.contains("path: \"Tests/") else { continue }
            targets.insert(String(match.output.1))
        }
        #expect(targets.contains("SynclineRuntime") && targets.contains("syncline") && targets.count >= 10, "parsed \(targets)")

        let readme = try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
        let layout = try #require(readme.components(separatedBy: "## Layout").dropFirst().first?.components(separatedBy: "## ").first)
        // Modules are the entries indented two spaces below `Sources/`: `  Name/   what it is`.
        let listed = Set(layout.split(separator: "\n").compactMap { line -> String? in
            guard line.hasPrefix("  "), !line.hasPrefix("   "), let entry = line.split(separator: " ").first, entry.hasSuffix("/") else { return nil }
            return String(entry.dropLast())
        })
        #expect(listed == targets, "README layout lists \(listed.subtracting(targets).sorted()) not in Package.swift; misses \(targets.subtracting(listed).sorted())")
        for target in targets {
            #expect(FileManager.default.fileExists(atPath: root.appendingPathComponent("Sources/\(target)").path), "Sources/\(target)")
        }
    }
}
