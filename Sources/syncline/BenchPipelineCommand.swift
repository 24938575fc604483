import ArgumentParser
import Foundation
import SynclineConnectors
import SynclineMapping

/// `syncline bench-pipeline` (hidden): the per-record hot path without Kafka — decode, map,
/// normalise, validate and encode through the declared pipeline a dry run of `ConnectorAssembly`
/// builds + `RecordPipeline.run` — over a file of raw record values, one per line (`ops/bench
/// --write-dataset FILE` writes the bench's data set that way). Prints records/s and ns/record for
/// the whole pipeline, then, in a separate pass, the share of each stage. Used by ops/bench-micro.
struct BenchPipelineCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-pipeline",
        abstract: "Micro-benchmark of the record pipeline alone (no Kafka): records/s and µs/record.",
        shouldDisplay: false)

    @OptionGroup var common: CommonOptions

    @Option(help: "The connector file.")
    var connector: String

    @Option(help: "Raw record values, one per line (newline-delimited; the bench's data set).")
    var input: String

    @Option(help: "Records to run through the pipeline (cycling through the input).")
    var records: Int = 1_000_000

    @Option(name: .customLong("repeat"), help: "Timed repetitions (after one untimed warm-up pass over the input).")
    var repetitions: Int = 3

    @Flag(help: "Print one JSON line instead of text.")
    var json = false

    @Flag(help: "Run the interpreter only (decode → map → validate, the compiled path's reference).")
    var interpreted = false

    func run() async throws {
        let spec: ConnectorSpec
        let pipeline: RecordPipeline
        switch RunCommand.load(connector: connector, root: common.rootURL) {
        case .success(let loaded):
            spec = loaded.spec
            pipeline = interpreted
                ? try ConnectorAssembly.dryRun(catalog: loaded.catalog, pipelineMode: .interpreted).build(spec).pipeline
                : loaded.declared.pipeline
        case .failure(let problems):
            Terminal.complain("syncline bench-pipeline: the connector does not load:\n\(problems)")
            throw ExitCode(2)
        }
        guard let data = FileManager.default.contents(atPath: input) else {
            Terminal.complain("syncline bench-pipeline: cannot read \(input)")
            throw ExitCode(2)
        }
        let topic = spec.inputTopics.first ?? "raw"
        let now = EpochClock.nowMs()
        var inputs: [InputRecord] = []
        for (index, line) in data.split(separator: 10, omittingEmptySubsequences: true).enumerated() {
            inputs.append(
                InputRecord(
                    topic: topic, partition: 0, offset: Int64(index), key: Array("contact-\(index % 9973)".utf8),
                    value: Array(line), headers: [], timestampMs: now))
        }
        guard !inputs.isEmpty, records > 0 else {
            Terminal.complain("syncline bench-pipeline: no records")
            throw ExitCode(2)
        }
        let bytesIn = inputs.reduce(0) { $0 + ($1.value?.count ?? 0) }

        // Warm-up, and the outcome counts (the same every pass).
        var ok = 0
        var rejected = 0
        var outBytes = 0
        var codes: [String: Int] = [:]
        for record in inputs {
            switch pipeline.run(record) {
            case .success(let context):
                ok += 1
                for output in context.outputs { outBytes += output.value?.count ?? 0 }
            case .failure(let rejection):
                rejected += 1
                codes[rejection.code, default: 0] += 1
            }
        }

        let clock = ContinuousClock()
        var rates: [Double] = []
        var sink = 0
        for _ in 0..<max(1, repetitions) {
            let start = clock.now
            var i = 0
            for _ in 0..<records {
                switch pipeline.run(inputs[i]) {
                case .success(let context): sink &+= context.outputs.count
                case .failure: sink &+= 1
                }
                i += 1
                if i == inputs.count { i = 0 }
            }
            let elapsed = clock.now - start
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            rates.append(Double(records) / seconds)
        }

        // Per stage: a separate pass with a clock read around every stage (adds ~2×25 ns per stage).
        var stageNanos = [Int64](repeating: 0, count: pipeline.stages.count)
        let stagePass = min(records, 200_000)
        var i = 0
        for _ in 0..<stagePass {
            var context = RecordContext(input: inputs[i])
            for (index, stage) in pipeline.stages.enumerated() {
                let start = clock.now
                do { try stage.process(&context) } catch {
                    stageNanos[index] += Self.nanos(clock.now - start)
                    break
                }
                stageNanos[index] += Self.nanos(clock.now - start)
            }
            i += 1
            if i == inputs.count { i = 0 }
        }

        let sorted = rates.sorted()
        let median = sorted[sorted.count / 2]
        let stages = pipeline.stages.enumerated().map { index, stage in
            (stage.name, Double(stageNanos[index]) / Double(stagePass))
        }
        if json {
            var object: [String: Any] = [
                "connector": spec.name, "distinct_inputs": inputs.count, "records": records, "repeat": rates.count,
                "records_per_s_median": median.rounded(), "records_per_s_min": sorted.first!.rounded(),
                "records_per_s_max": sorted.last!.rounded(), "us_per_record_median": (1e6 / median * 1000).rounded() / 1000,
                "avg_input_bytes": bytesIn / inputs.count, "ok": ok, "rejected": rejected, "rejected_codes": codes,
                "avg_output_bytes": ok > 0 ? outBytes / ok : 0, "sink": sink,
            ]
            object["stages_ns_per_record"] = Dictionary(stages.enumerated().map { ("\($0.offset):\($0.element.0)", $0.element.1.rounded()) }, uniquingKeysWith: { a, _ in a })
            let text = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            Terminal.say(String(decoding: text, as: UTF8.self))
        } else {
            Terminal.say("connector \(spec.name): \(inputs.count) distinct inputs (avg \(bytesIn / inputs.count) B), \(ok) mapped, \(rejected) rejected \(codes.sorted { $0.key < $1.key })")
            Terminal.say(String(format: "pipeline: %.0f records/s median (min %.0f, max %.0f over %d × %d records) = %.3f µs/record", median, sorted.first!, sorted.last!, rates.count, records, 1e6 / median))
            let total = stages.reduce(0) { $0 + $1.1 }
            for (name, ns) in stages {
                let label = name.count < 12 ? name + String(repeating: " ", count: 12 - name.count) : name
                Terminal.say("  stage " + label + String(format: " %8.0f ns/record  %5.1f%%", ns, total > 0 ? ns / total * 100 : 0))
            }
            Terminal.say("(sink \(sink))")
        }
    }

    static func nanos(_ duration: Duration) -> Int64 {
        duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000
    }
}
