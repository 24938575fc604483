import ArgumentParser
import Foundation
import SynclineConnectors
import SynclineMapping

/// `syncline map`: one raw record from stdin through a connector, without Kafka — the canonical
/// output, or the DLQ verdict with its reason.
struct MapCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "map", abstract: "Dry-run one raw record (stdin) through a connector; exit 3 when it would go to the DLQ.")

    @OptionGroup var common: CommonOptions

    @Option(help: "The connector file.")
    var connector: String

    @Option(help: "Input topic to pretend the record came from (default: the connector's first).")
    var topic: String?

    @Option(help: "Record key.")
    var key: String?

    @Option(help: "A header NAME=VALUE (repeatable), e.g. ce_time=2024-05-01T12:00:00+08:00.")
    var header: [String] = []

    func run() async throws {
        let spec: ConnectorSpec
        let pipeline: RecordPipeline
        // The assembly's dry run: the declared pipeline, no processor, no state, no Kafka.
        switch RunCommand.load(connector: connector, root: common.rootURL) {
        case .success(let loaded): (spec, pipeline) = (loaded.spec, loaded.declared.pipeline)
        case .failure(let problems):
            Terminal.complain("syncline map: the connector does not load:\n\(problems)")
            throw ExitCode(2)
        }
        if spec.processor == "assignment" {
            Terminal.complain("syncline map: connector \(spec.name) assigns leads; `syncline assign --explain --connector \(connector) < lead.json` shows where a lead goes and why")
            throw ExitCode(2)
        }
        if let processor = spec.processor {
            Terminal.complain("syncline map: connector \(spec.name) uses the '\(processor)' processor, which keeps state across records (conversations, calls); a one-record dry run cannot show it — run it with `syncline run` against the embedded cluster (`syncline broker`)")
            throw ExitCode(2)
        }
        let bytes = Array(FileHandle.standardInput.readDataToEndOfFile())
        var body = bytes
        while let last = body.last, last == 10 || last == 13 { body.removeLast() }
        let headers = header.compactMap { item -> RecordHeader? in
            guard let equals = item.firstIndex(of: "=") else { return nil }
            return RecordHeader(String(item[..<equals]), String(item[item.index(after: equals)...]))
        }
        let input = InputRecord(
            topic: topic ?? spec.inputTopics.first ?? "", partition: 0, offset: 0, key: key.map { Array($0.utf8) },
            value: body, headers: headers, timestampMs: EpochClock.nowMs())
        switch pipeline.run(input) {
        case .success(let context):
            if context.outputs.isEmpty { Terminal.say("(no output)") }
            for output in context.outputs {
                Terminal.say("→ \(output.topic)  key=\(output.key.map { String(decoding: $0, as: UTF8.self) } ?? "(none)")")
                Terminal.say(Self.pretty(output.value ?? []))
            }
            if let source = context.sourceTimeMs {
                Terminal.say("source time: \(UTCTimestamp.format(ms: source))")
            } else {
                Terminal.say("source time: \(context.sourceTimeProblem ?? "missing") (the record still flows; the latency tracker counts it)")
            }
        case .failure(let rejection):
            Terminal.say("→ DLQ \(spec.dlqTopic)")
            Terminal.say("stage: \(rejection.stage.rawValue)")
            Terminal.say("code: \(rejection.code)")
            if let field = rejection.field { Terminal.say("field: \(field)") }
            if let rule = rejection.rule { Terminal.say("route: \(rule)") }
            Terminal.say("reason: \(DeadLetter.message(for: rejection, connector: spec.name, input: input))")
            throw ExitCode(3)
        }
    }

    /// The record as people read it: indented, members in the order written (the schema's order).
    static func pretty(_ bytes: [UInt8]) -> String { JSONIndenter.indent(bytes) }
}
