import Foundation
@testable import SynclineMapping
import SynclineTooling
import SynclineTestSupport
import Testing

/// The compiled record path against its reference, the interpreter: every fixture, every sample
/// and thousands of generated hostile records must give byte-identical outputs and identical DLQ
/// verdicts (stage, code, field) on both paths.
@Suite("Compiled record path: differential against the interpreter")
struct CompiledPathDifferentialTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static let connectors = ["marketing", "tickets", "erp", "im", "telephony"]

    static func catalog() throws -> TopicCatalog { try TopicCatalog.load(directory: root.appendingPathComponent("topics")) }

    static func spec(_ name: String) throws -> ConnectorSpec {
        try ConnectorSpecParser.load(file: root.appendingPathComponent("connectors/\(name).yaml"))
    }

    /// Both pipelines of a shipped connector; the compiled one without self-check, so it is tested alone.
    static func pipelines(_ name: String) throws -> (compiled: RecordPipeline, interpreted: RecordPipeline) {
        let spec = try spec(name)
        let catalog = try catalog()
        return (
            try PipelineBuilder.build(spec, catalog: catalog, mode: .compiled, selfCheckEvery: 0),
            try PipelineBuilder.build(spec, catalog: catalog, mode: .interpreted)
        )
    }

    static func compare(_ name: String, _ inputs: [InputRecord], sourceLocation: SourceLocation = #_sourceLocation) throws -> (rejected: Int, produced: Int) {
        let (compiled, interpreted) = try pipelines(name)
        return compare(name, compiled, interpreted, inputs, sourceLocation: sourceLocation)
    }

    static func compare(
        _ name: String, _ compiled: RecordPipeline, _ interpreted: RecordPipeline, _ inputs: [InputRecord], sourceLocation: SourceLocation = #_sourceLocation
    ) -> (rejected: Int, produced: Int) {
        let comparison = Self.comparison(name, compiled, interpreted, inputs)
        comparison.record(sourceLocation: sourceLocation)
        return (comparison.rejected, comparison.produced)
    }

    /// What running `inputs` through both paths found; plain values, so it can be computed off the pool.
    struct Comparison: Sendable {
        var rejected = 0
        var produced = 0
        /// The first few records whose verdicts differ, described.
        var differences: [String] = []

        func record(sourceLocation: SourceLocation = #_sourceLocation) {
            for difference in differences { Issue.record(Comment(rawValue: difference), sourceLocation: sourceLocation) }
        }
    }

    static func comparison(_ name: String, _ compiled: RecordPipeline, _ interpreted: RecordPipeline, _ inputs: [InputRecord]) -> Comparison {
        var result = Comparison()
        for input in inputs {
            let expected = RecordVerdict(interpreted.run(input))
            let actual = RecordVerdict(compiled.run(input))
            if actual != expected, result.differences.count < 5 {
                let text = input.value.map { String(decoding: $0, as: UTF8.self) } ?? "nil"
                result.differences.append("\(name) \(text)\n  compiled:    \(actual)\n  interpreted: \(expected)")
            }
            if expected.isRejection { result.rejected += 1 } else { result.produced += 1 }
        }
        return result
    }

    @Test("marketing's leads route compiles; other shipped routes say why they are interpreted")
    func compilationReport() throws {
        let catalog = try Self.catalog()
        let marketing = CompiledRecordStage.make(try Self.spec("marketing"), catalog: catalog)
        #expect(marketing.stage != nil)
        #expect(marketing.report.compiledRoutes == ["leads"])
        for name in ["im", "telephony"] {
            let report = CompiledRecordStage.make(try Self.spec(name), catalog: catalog).report
            #expect(report.connectorReason != nil, "\(name): \(report.lines)")
        }
        for name in Self.connectors {
            let report = CompiledRecordStage.make(try Self.spec(name), catalog: catalog).report
            for route in report.routes where !route.isCompiled {
                #expect(!(route.fallbackReason ?? "").isEmpty, "\(name)/\(route.name) falls back without a reason")
            }
        }
    }

    @Test("every fixture gives the same verdict on both paths", arguments: ["marketing", "tickets", "erp"])
    func fixtures(_ name: String) throws {
        let folder = Self.root.appendingPathComponent("connectors/tests/\(name)")
        var inputs: [InputRecord] = []
        let topic = try Self.spec(name).inputTopics.first ?? "raw"
        for file in try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() where file.hasSuffix(".yaml") {
            let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
            inputs += try FixtureRunner.parse(text, file: file, defaultTopic: topic).map(\.input)
        }
        #expect(inputs.count >= 5)
        let counts = try Self.compare(name, inputs)
        #expect(counts.rejected > 0 && counts.produced > 0)
    }

    @Test("every sample gives the same verdict on both paths", arguments: ["marketing", "tickets", "erp"])
    func samples(_ name: String) throws {
        let spec = try Self.spec(name)
        let folder = Self.root.appendingPathComponent("connectors/samples/\(name)")
        let files = (FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)?.allObjects as? [URL] ?? [])
            .filter { $0.pathExtension == "json" }.sorted { $0.path < $1.path }
        let inputs = try files.enumerated().map { index, file in
            InputRecord(topic: spec.inputTopics.first ?? "raw", partition: 0, offset: Int64(index), key: nil, value: Array(try Data(contentsOf: file)), headers: [], timestampMs: 1_714_557_600_000)
        }
        #expect(inputs.count >= 3)
        _ = try Self.compare(name, inputs)
        // Every valid sample of a compiled connector is decided by the compiled path itself.
        if let stage = CompiledRecordStage.make(spec, catalog: try Self.catalog(), selfCheckEvery: 0).stage {
            for (input, file) in zip(inputs, files) where file.path.contains("/valid/") {
                var context = RecordContext(input: input)
                let decided: Bool
                if case .done = stage.runCompiled(&context) { decided = true } else { decided = false }
                #expect(decided, "\(file.lastPathComponent) went to the interpreter")
            }
        }
    }

    @Test("6,000 generated hostile marketing records: same bytes, same verdicts")
    func generatedCorpus() async throws {
        // Off the cooperative pool: 6,000 records through both paths is seconds of CPU in a debug build.
        let (comparison, codes, decided) = try await offThePool { () throws -> (Comparison, [String: Int], Int) in
            let inputs = Self.generated(6_000, seed: 20_261_201)
            let (compiled, interpreted) = try Self.pipelines("marketing")
            let comparison = Self.comparison("marketing", compiled, interpreted, inputs)
            var codes: [String: Int] = [:]
            for input in inputs {
                if case .failure(let rejection) = interpreted.run(input) { codes[rejection.code + "/" + (rejection.field ?? ""), default: 0] += 1 }
            }
            guard let stage = CompiledRecordStage.make(try Self.spec("marketing"), catalog: try Self.catalog(), selfCheckEvery: 0).stage else {
                return (comparison, codes, -1)
            }
            let decided = inputs.filter { input in
                var context = RecordContext(input: input)
                if case .done = stage.runCompiled(&context) { return true }
                return false
            }.count
            return (comparison, codes, decided)
        }
        comparison.record()
        #expect(comparison.rejected > 600 && comparison.produced > 600, "\(comparison.rejected)/\(comparison.produced) \(codes.sorted { $0.value > $1.value })")
        // The compiled path must really decide most produced records itself, not defer them all.
        // (Hostile keys and escapes send many to the interpreter by design; clean records never go there.)
        #expect(decided >= 0, "marketing did not compile")
        #expect(decided * 3 > comparison.produced, "compiled path decided \(decided) of \(comparison.produced) produced records")
    }

    static func generated(_ count: Int, seed: UInt64) -> [InputRecord] {
        var corpus = HostileCorpus(seed: seed)
        return (0..<count).map { index in
            InputRecord(
                topic: "raw.marketing.events.v1", partition: Int32(index % 3), offset: Int64(index), key: Array("k\(index % 97)".utf8),
                value: corpus.next(), headers: corpus.headers(), timestampMs: 1_714_557_600_000)
        }
    }

    /// The test connector of the core tests (decimal, bool default, mapped enum default, a plain
    /// route with `when`), fully compiled; and a variant whose leads route uses an expression the
    /// compiler does not cover, so the connector runs mixed (leads interpreted, audit compiled).
    @Test("a second connector, fully compiled and mixed with an interpreted route", arguments: [false, true])
    func testConnector(mixed: Bool) async throws {
        var text = TestSupport.marketing
        if mixed { text = text.replacingOccurrences(of: "name: fields.姓名", with: "name: {expr: \"upper(fields.姓名)\"}") }
        let spec = try TestSupport.spec(text)
        let catalog = try TestSupport.catalog()
        let report = CompiledRecordStage.make(spec, catalog: catalog).report
        #expect(report.compiledRoutes == (mixed ? ["audit"] : ["leads", "audit"]), "\(report.lines)")
        let comparison = try await offThePool {
            let compiled = try PipelineBuilder.build(spec, catalog: catalog, mode: .compiled, selfCheckEvery: 0)
            let interpreted = try PipelineBuilder.build(spec, catalog: catalog, mode: .interpreted)
            return Self.comparison("test connector", compiled, interpreted, Self.generated(4_000, seed: mixed ? 11 : 12))
        }
        comparison.record()
        #expect(comparison.rejected > 100 && comparison.produced > 100, "\(comparison.rejected)/\(comparison.produced)")
    }

    @Test("keyed by a field converted from the bytes (bool, timestamp, phone, email): same keys on both paths",
          arguments: ["subscribed", "submitted_at", "phone", "email"])
    func keyedByConvertedField(_ field: String) async throws {
        let spec = try TestSupport.spec(TestSupport.marketing.replacingOccurrences(of: "key: lead_id", with: "key: \(field)"))
        let catalog = try TestSupport.catalog()
        #expect(CompiledRecordStage.make(spec, catalog: catalog).report.compiledRoutes.contains("leads"))
        let comparison = try await offThePool {
            let compiled = try PipelineBuilder.build(spec, catalog: catalog, mode: .compiled, selfCheckEvery: 0)
            let interpreted = try PipelineBuilder.build(spec, catalog: catalog, mode: .interpreted)
            return Self.comparison("keyed by \(field)", compiled, interpreted, Self.generated(2_000, seed: 21))
        }
        comparison.record()
        #expect(comparison.produced > 20, "\(comparison.produced)")
    }

    @Test("a failed check rejects on the compiled path, worded as the interpreter words it (omitted fields included)")
    func checkRejectedWithoutTheInterpreter() throws {
        let spec = try Self.spec("marketing")
        let catalog = try Self.catalog()
        let stage = try #require(CompiledRecordStage.make(spec, catalog: catalog, selfCheckEvery: 0).stage)
        let interpreted = try PipelineBuilder.build(spec, catalog: catalog, mode: .interpreted)
        let documents = [
            #"{"event_id":"e1","event_type":"form_submit","occurred_at":"2025-06-01T09:00:00+08:00","fields":{"姓名":"张三"}}"#,
            #"{"event_id":"e2","event_type":"form_submit","occurred_at":1748739600234,"fields":{"手机号":"12345","城市":"上海"}}"#,
            #"{"event_id":"e3","event_type":"lead_submit","occurred_at":"2025-06-01 09:00","fields":{"手机":"+86 abc","邮箱":"not-an-email"}}"#,
        ]
        for (offset, document) in documents.enumerated() {
            let input = InputRecord(
                topic: "raw.marketing.events.v1", partition: 0, offset: Int64(offset), key: nil, value: Array(document.utf8), headers: [],
                timestampMs: 0)
            guard case .failure(let expected) = interpreted.run(input) else {
                Issue.record("the interpreter accepted \(document)")
                continue
            }
            var context = RecordContext(input: input)
            guard case .rejected(let rejection) = stage.runCompiled(&context) else {
                Issue.record("the compiled path did not reject \(document) itself")
                continue
            }
            #expect(rejection.code == "contact_missing" && rejection.stage == .validate)
            #expect(rejection == expected, "\(rejection.message) vs \(expected.message)")
            if offset > 0 { #expect(rejection.message.contains("omitted:"), "\(rejection.message)") }
        }
    }

    @Test("the self-check runs the sampled record on both paths and reports a difference")
    func selfCheck() throws {
        let spec = try Self.spec("marketing")
        let pipeline = try PipelineBuilder.build(spec, catalog: try Self.catalog(), selfCheckEvery: 1)
        var corpus = HostileCorpus(seed: 7)
        for index in 0..<300 {
            let input = InputRecord(topic: "raw.marketing.events.v1", partition: 0, offset: Int64(index), key: nil, value: corpus.next(), headers: [], timestampMs: 0)
            switch pipeline.run(input) {
            case .success(let context): #expect(context.selfCheckMismatch == nil, "\(context.selfCheckMismatch ?? "")")
            case .failure(let rejection): #expect(rejection.selfCheckMismatch == nil, "\(rejection.selfCheckMismatch ?? "")")
            }
        }
        var a = RecordContext(input: InputRecord(topic: "t", partition: 0, offset: 0, key: nil, value: nil, headers: [], timestampMs: nil))
        var b = a
        a.outputs = [OutputRecord(topic: "crm.leads.v1", key: nil, value: Array("{\"a\":1}".utf8))]
        b.outputs = [OutputRecord(topic: "crm.leads.v1", key: nil, value: Array("{\"a\":2}".utf8))]
        a.routes = ["leads"]
        b.routes = ["leads"]
        let difference = try #require(CompiledRecordStage.difference(a, b))
        #expect(difference.contains("{\"a\":1}") && difference.contains("{\"a\":2}"))
        #expect(CompiledRecordStage.difference(a, a) == nil)
    }
}
