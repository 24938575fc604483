import Foundation
import SynclineMapping
import SynclineTooling
import Testing

/// `validate --samples`: invalid samples named `<code>--<what>.json` must be rejected with that code.
@Suite("Invalid samples are checked against the code their name gives")
struct InvalidSampleCheckTests {
    @Test("a sample rejected as named passes; one rejected otherwise, or accepted, is a problem naming both; unnamed ones are not checked")
    func namesAreChecked() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("samples-\(UUID().uuidString)/form/invalid")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory.deletingLastPathComponent().deletingLastPathComponent()) }
        try Data("{oops".utf8).write(to: directory.appendingPathComponent("invalid_json--truncated.json"))
        try Data("{oops".utf8).write(to: directory.appendingPathComponent("invalid_phone--wrongly-named.json"))
        try Data(#"{"event_id":"e1","event_type":"form_submit","occurred_at":1714564800000,"fields":{"手机":"13800138000"}}"#.utf8)
            .write(to: directory.appendingPathComponent("no_route--actually-valid.json"))
        try Data("{oops".utf8).write(to: directory.appendingPathComponent("no-code-here.json"))
        let spec = try TestSupport.spec(TestSupport.marketing)
        let outcome = InvalidSampleCheck.run(spec, catalog: try TestSupport.catalog(), directory: directory.deletingLastPathComponent().deletingLastPathComponent())
        #expect(outcome.checked == 3)
        #expect(outcome.problems.count == 2, "\(outcome.problems)")
        let wrong = try #require(outcome.problems.first { $0.file.hasSuffix("invalid_phone--wrongly-named.json") })
        #expect(wrong.message.contains("should be rejected with invalid_phone") && wrong.message.contains("rejected with invalid_json"))
        let accepted = try #require(outcome.problems.first { $0.file.hasSuffix("no_route--actually-valid.json") })
        #expect(accepted.message.contains("but was accepted"))
    }
}
