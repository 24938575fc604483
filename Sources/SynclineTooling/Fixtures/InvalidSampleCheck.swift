public import Foundation
public import SynclineMapping
import SynclineConnectors

/// `syncline validate --samples DIR`: every deliberately broken sample named
/// `<expected error code>--<what>.json` under an `invalid/` folder must really be rejected with that
/// code by the connector's declared pipeline — the promise the connector guide makes. Connectors
/// with a code-level processor (im, telephony) are checked by their fixtures (`syncline test`).
public enum InvalidSampleCheck {
    /// What was checked, and a problem for each sample that was not rejected as its name says.
    public struct Outcome: Sendable {
        public var checked: Int
        public var problems: [ConfigProblem]
    }

    public static func run(_ spec: ConnectorSpec, catalog: TopicCatalog, directory: URL) -> Outcome {
        guard spec.processor == nil else { return Outcome(checked: 0, problems: []) }
        let files = (FileManager.default.enumerator(at: directory, includingPropertiesForKeys: nil)?.allObjects as? [URL] ?? [])
            .filter { $0.pathExtension == "json" && $0.pathComponents.contains("invalid") }
            .sorted { $0.path < $1.path }
        let pipeline: RecordPipeline
        do throws(ConfigProblems) {
            pipeline = try ConnectorAssembly.dryRun(catalog: catalog).build(spec).pipeline
        } catch {
            return Outcome(checked: 0, problems: [])  // the connector's own problems are reported by the linter
        }
        var outcome = Outcome(checked: 0, problems: [])
        for file in files {
            let name = file.deletingPathExtension().lastPathComponent
            guard let separator = name.range(of: "--") else { continue }
            let expected = String(name[..<separator.lowerBound])
            guard let bytes = try? Data(contentsOf: file) else { continue }
            outcome.checked += 1
            let input = InputRecord(
                topic: spec.inputTopics.first ?? "", partition: 0, offset: 0, key: nil, value: Array(bytes), headers: [], timestampMs: nil)
            let verdict: String
            switch pipeline.run(input) {
            case .success(let context): verdict = "accepted (→ \(context.outputs.map(\.topic).joined(separator: ", ")))"
            case .failure(let rejection):
                if rejection.code == expected { continue }
                verdict = "rejected with \(rejection.code) at \(rejection.stage.rawValue): \(rejection.message)"
            }
            outcome.problems.append(ConfigProblem(
                file: file.path, field: "", message: "invalid sample should be rejected with \(expected) (its name says so) but was \(verdict)",
                connector: spec.name))
        }
        return outcome
    }
}
