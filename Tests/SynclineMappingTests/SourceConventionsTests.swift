import Foundation
import Testing

/// Conventions kept by reading Sources/: topic names come from `TopicNames` only, and "now" in
/// epoch milliseconds from `EpochClock` only, so neither can drift back into string literals and
/// ad-hoc clock reads.
@Suite("Source conventions")
struct SourceConventionsTests {
    /// (file relative to Sources/, line number, line) of every non-comment line in Sources/.
    static func codeLines() throws -> [(file: String, number: Int, text: String)] {
        var result: [(String, Int, String)] = []
        for (relative, text) in try ModuleLayeringTests.sourceFiles(extensions: ["swift"]) {
            for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let trimmed = line.drop { $0 == " " }
                guard !trimmed.hasPrefix("//") else { continue }
                result.append((relative, index + 1, String(line)))
            }
        }
        return result
    }

    @Test("topic names appear in code only in TopicNames")
    func topicNamesFromOnePlace() throws {
        let lines = try Self.codeLines()
        #expect(lines.count > 10_000, "the scan read the sources")
        let topic = /(crm|hub|raw)\.[a-z_]+(\.[a-z_]+)*\.v[0-9]+|"hub\.(dlq|state|repartition)\./
        for line in lines where !line.file.hasSuffix("Names/TopicNames.swift") {
            #expect(line.text.firstMatch(of: topic) == nil, "\(line.file):\(line.number) names a topic: use TopicNames")
        }
    }

    @Test("epoch milliseconds are read from EpochClock only")
    func oneClock() throws {
        for line in try Self.codeLines() where !line.file.hasSuffix("EpochClock.swift") {
            #expect(!line.text.contains("timeIntervalSince1970 * 1000"), "\(line.file):\(line.number) reads the clock: use EpochClock.nowMs (or an injected clock)")
        }
    }
}
