public import Foundation
public import SynclineMapping
import SynclineConnectors
import Yams

/// Runs fixture files (`connectors/tests/<connector>/*.yaml`) through a connector's pipeline — the
/// declared one, as a dry run of `ConnectorAssembly` builds it (interpreted; no processor, no state)
/// — and compares outputs structurally (or the rejection's stage/code/field), reporting a diff per failure.
public enum FixtureRunner {
    static let caseKeys: Set<String> = ["name", "input", "expect"]
    static let inputKeys: Set<String> = ["topic", "partition", "offset", "key", "headers", "value", "timestamp_ms"]
    static let expectKeys: Set<String> = ["outputs", "rejection"]
    static let outputKeys: Set<String> = ["topic", "key", "value"]
    static let rejectionKeys: Set<String> = ["stage", "code", "field"]

    /// Reads a fixture file's cases, reporting every malformed case.
    public static func parse(_ text: String, file: String, defaultTopic: String) throws(ConfigProblems) -> [FixtureCase] {
        let root = try ConfigNode.parse(text, file: file)
        var problems: [ConfigProblem] = []
        var cases: [FixtureCase] = []
        guard let items = root.required("cases", &problems)?.list(&problems) else { throw ConfigProblems(problems) }
        for (index, item) in items.enumerated() {
            guard item.isMapping else {
                problems.append(item.problem("a case must be a mapping with name, input and expect"))
                continue
            }
            item.rejectUnknownKeys(allowed: caseKeys, &problems)
            let name = item["name"]?.string(&problems) ?? "case \(index + 1)"
            guard let inputNode = item.required("input", &problems), let expectNode = item.required("expect", &problems) else { continue }
            guard let input = parseInput(inputNode, defaultTopic: defaultTopic, &problems),
                let expectation = parseExpectation(expectNode, &problems)
            else { continue }
            cases.append(FixtureCase(name: name, input: input, expectation: expectation, location: item.path))
        }
        if !problems.isEmpty { throw ConfigProblems(problems) }
        return cases
    }

    static func parseInput(_ node: ConfigNode, defaultTopic: String, _ problems: inout [ConfigProblem]) -> InputRecord? {
        node.rejectUnknownKeys(allowed: inputKeys, &problems)
        guard let valueNode = node.required("value", &problems) else { return nil }
        var value: [UInt8]?
        switch valueNode.node {
        case .scalar(let scalar) where scalar.style != .plain || JSONValueYAML.value(valueNode.node).stringValue != nil:
            value = Array(scalar.string.utf8)
        default:
            let json = JSONValueYAML.value(valueNode.node)
            value = json.isNull ? nil : JSONWriter.bytes(json)
        }
        var headers: [RecordHeader] = []
        if let headerNode = node["headers"], let entries = headerNode.entries(&problems) {
            for (name, valueNode) in entries {
                if let text = valueNode.string(&problems) { headers.append(RecordHeader(name, text)) }
            }
        }
        let topic = node["topic"]?.string(&problems) ?? defaultTopic
        let partition = node["partition"]?.int(&problems) ?? 0
        let offset = node["offset"]?.int(&problems) ?? 0
        let key = node["key"]?.string(&problems).map { Array($0.utf8) }
        let timestamp = node["timestamp_ms"]?.int(&problems).map(Int64.init)
        return InputRecord(
            topic: topic, partition: Int32(clamping: partition), offset: Int64(offset), key: key, value: value, headers: headers,
            timestampMs: timestamp)
    }

    static func parseExpectation(_ node: ConfigNode, _ problems: inout [ConfigProblem]) -> FixtureCase.Expectation? {
        node.rejectUnknownKeys(allowed: expectKeys, &problems)
        if let rejection = node["rejection"] {
            rejection.rejectUnknownKeys(allowed: rejectionKeys, &problems)
            guard let stageText = rejection.required("stage", &problems)?.string(&problems),
                let code = rejection.required("code", &problems)?.string(&problems)
            else { return nil }
            guard let stage = ErrorStage(rawValue: stageText) else {
                problems.append(rejection.problem("unknown stage '\(stageText)' (decode, map, validate, link, produce)", field: rejection.child("stage")))
                return nil
            }
            if ErrorCode(rawValue: code) == nil {
                problems.append(rejection.problem("unknown error code '\(code)' (see connectors/README.md)", field: rejection.child("code")))
            }
            return .rejection(stage: stage, code: code, field: rejection["field"]?.string(&problems))
        }
        guard let outputs = node.required("outputs", &problems)?.list(&problems) else { return nil }
        var expected: [FixtureCase.ExpectedOutput] = []
        for output in outputs {
            output.rejectUnknownKeys(allowed: outputKeys, &problems)
            guard let topic = output.required("topic", &problems)?.string(&problems) else { continue }
            expected.append(FixtureCase.ExpectedOutput(
                topic: topic, key: output["key"]?.string(&problems), value: output["value"].map { JSONValueYAML.value($0.node) }))
        }
        return .outputs(expected)
    }

    /// Runs one fixture file against a connector. A file that cannot be read gives one failed result.
    public static func run(_ spec: ConnectorSpec, catalog: TopicCatalog?, file: URL) -> [FixtureResult] {
        guard let text = try? String(contentsOf: file, encoding: .utf8) else {
            return [FixtureResult(file: file.path, connector: spec.name, name: "(file)", passed: false, diff: ["cannot read the file"])]
        }
        return run(spec, catalog: catalog, text: text, file: file.path)
    }

    public static func run(_ spec: ConnectorSpec, catalog: TopicCatalog?, text: String, file: String) -> [FixtureResult] {
        let pipeline: RecordPipeline
        let cases: [FixtureCase]
        do throws(ConfigProblems) {
            pipeline = try ConnectorAssembly.dryRun(catalog: catalog).build(spec).pipeline
            cases = try parse(text, file: file, defaultTopic: spec.inputTopics.first ?? "")
        } catch {
            return [FixtureResult(file: file, connector: spec.name, name: "(file)", passed: false, diff: error.problems.map(\.description))]
        }
        return cases.map { run($0, pipeline: pipeline, connector: spec.name, file: file) }
    }

    /// Every fixture of every connector in `directory` (connectors/*.yaml with tests/<name>/*.yaml).
    public static func runAll(connectorsDirectory directory: URL, catalog: TopicCatalog?) -> [FixtureResult] {
        let specs: [ConnectorSpec]
        do throws(ConfigProblems) {
            specs = try ConnectorSpecParser.loadAll(directory: directory)
        } catch {
            return [FixtureResult(file: directory.path, connector: "*", name: "(connectors)", passed: false, diff: error.problems.map(\.description))]
        }
        var results: [FixtureResult] = []
        for spec in specs {
            let folder = directory.appendingPathComponent("tests").appendingPathComponent(spec.name)
            let files = ((try? FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)) ?? [])
                .filter { ["yaml", "yml"].contains($0.pathExtension) }
                .sorted { $0.lastPathComponent < $1.lastPathComponent }
            for file in files { results += run(spec, catalog: catalog, file: file) }
        }
        return results
    }

    static func run(_ fixture: FixtureCase, pipeline: RecordPipeline, connector: String, file: String) -> FixtureResult {
        var diff: [String] = []
        let result = pipeline.run(fixture.input)
        switch (fixture.expectation, result) {
        case (.rejection(let stage, let code, let field), .failure(let rejection)):
            if rejection.stage != stage { diff.append("stage: expected \(stage.rawValue), got \(rejection.stage.rawValue)") }
            if rejection.code != code { diff.append("code: expected \(code), got \(rejection.code)") }
            if let field, rejection.field != field { diff.append("field: expected \(field), got \(rejection.field ?? "none")") }
            if !diff.isEmpty { diff.append("message: \(rejection.message)") }
        case (.rejection(let stage, let code, _), .success(let context)):
            diff.append("expected a rejection \(stage.rawValue)/\(code), but the record was accepted:")
            for output in context.outputs { diff.append("  → \(output.topic): \(String(decoding: output.value ?? [], as: UTF8.self))") }
        case (.outputs, .failure(let rejection)):
            diff.append("expected outputs, but the record was rejected: \(rejection)")
        case (.outputs(let expected), .success(let context)):
            if expected.count != context.outputs.count {
                diff.append("outputs: expected \(expected.count), got \(context.outputs.count) (\(context.outputs.map(\.topic).joined(separator: ", ")))")
            }
            for (index, (want, got)) in zip(expected, context.outputs).enumerated() {
                let prefix = "outputs[\(index)]"
                if want.topic != got.topic { diff.append("\(prefix).topic: expected \(want.topic), got \(got.topic)") }
                if let key = want.key {
                    let actual = got.key.map { String(decoding: $0, as: UTF8.self) } ?? "<none>"
                    if key != actual { diff.append("\(prefix).key: expected '\(key)', got '\(actual)'") }
                }
                if let value = want.value {
                    guard let bytes = got.value, let actual = try? JSONParser.parse(bytes) else {
                        diff.append("\(prefix).value: the output is not JSON")
                        continue
                    }
                    compare(value, actual, path: "\(prefix).value", into: &diff)
                }
            }
        }
        return FixtureResult(file: file, connector: connector, name: fixture.name, passed: diff.isEmpty, diff: diff)
    }

    /// Structural comparison; numbers compare by written text (canonical decimals carry their scale).
    static func compare(_ expected: JSONValue, _ actual: JSONValue, path: String, into diff: inout [String]) {
        switch (expected, actual) {
        case (.object(let want), .object(let got)):
            for key in want.keys.sorted() {
                guard let value = got[key] else {
                    diff.append("\(path).\(key): expected \(want[key]?.shortDisplay ?? ""), missing")
                    continue
                }
                if let wanted = want[key] { compare(wanted, value, path: "\(path).\(key)", into: &diff) }
            }
            for key in got.keys.sorted() where want[key] == nil {
                diff.append("\(path).\(key): not expected, got \(got[key]?.shortDisplay ?? "")")
            }
        case (.array(let want), .array(let got)):
            if want.count != got.count { diff.append("\(path): expected \(want.count) items, got \(got.count)") }
            for (index, (a, b)) in zip(want, got).enumerated() { compare(a, b, path: "\(path)[\(index)]", into: &diff) }
        default:
            if expected != actual {
                diff.append("\(path): expected \(expected.shortDisplay), got \(actual.shortDisplay)")
            }
        }
    }
}
