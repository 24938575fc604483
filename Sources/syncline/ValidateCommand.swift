import ArgumentParser
import Foundation
import SynclineAdmin
import SynclineConnectors
import SynclineMapping
import SynclineTooling

/// `syncline validate`: the pre-deploy checks of every connector file, with sample records.
struct ValidateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check connector files before deploying them (every problem, each naming file, connector, route and field).")

    @OptionGroup var common: CommonOptions

    @Argument(help: "Connector files (default: every *.yaml in connectors/).")
    var files: [String] = []

    @Option(help: "Directory of sample records: <DIR>/<connector>/*.json|*.jsonl; files under invalid/ named <code>--<what>.json must be rejected with that code.")
    var samples: String?

    @Option(help: "The webhook listener the files will be served on (default $SYNCLINE_INGRESS): `verify: none` is an error unless it is a loopback address.")
    var ingress: String?

    func run() async throws {
        let catalog: TopicCatalog
        do throws(ConfigProblems) {
            catalog = try TopicCatalog.load(directory: common.rootURL.appendingPathComponent("topics"))
        } catch {
            Terminal.complain(error.description)
            throw ExitCode(2)
        }
        let targets = files.isEmpty ? Self.connectorFiles(in: common.rootURL.appendingPathComponent("connectors")) : files.map { URL(fileURLWithPath: $0) }
        var errors = 0
        var warnings = 0
        for file in targets {
            guard let text = try? String(contentsOf: file, encoding: .utf8) else {
                Terminal.say("error: \(file.path): cannot read the file as UTF-8 text")
                errors += 1
                continue
            }
            // Parsed once; the linter reports the parse problems themselves.
            let spec = try? ConnectorSpecParser.parse(text, file: file.path)
            var sampleDocuments: [JSONValue]?
            if let samples {
                let name = spec?.name ?? file.deletingPathExtension().lastPathComponent
                let loaded = SampleLoader.load(directory: URL(fileURLWithPath: samples).appendingPathComponent(name))
                for bad in loaded.unreadable {
                    Terminal.say("warning: \(bad.file): sample is not valid JSON: \(bad.reason)")
                    warnings += 1
                }
                sampleDocuments = loaded.documents
                if loaded.documents.isEmpty {
                    Terminal.say("warning: \(file.path): no samples for connector \(name) under \(samples)/\(name)")
                    warnings += 1
                }
            }
            var problems = ConnectorLinter.lint(text: text, file: file.path, catalog: catalog, samples: sampleDocuments)
            if let spec {
                if let problem = unverifiedIngressProblem(spec, file: file.path) { problems.append(problem) }
                problems += ConnectorLinter.undeclaredTopics(spec, catalog: catalog)
                // The processor's name and options, against the registry (each processor declares its options).
                problems += ProcessorRegistry.problems(spec)
                if ReconciliationSettings.isFinance(spec) { problems += ReconciliationSettings.read(spec).problems }
                // Broken samples named `<code>--<what>.json` must be rejected with that code.
                if let samples {
                    let check = InvalidSampleCheck.run(spec, catalog: catalog, directory: URL(fileURLWithPath: samples).appendingPathComponent(spec.name))
                    problems += check.problems
                    if check.checked > 0 { Terminal.say("\(file.path): \(check.checked) invalid sample(s) checked against the codes their names give") }
                }
            }
            for problem in problems { Terminal.say(problem.description) }
            errors += problems.filter { $0.severity == .error }.count
            warnings += problems.filter { $0.severity == .warning }.count
            if problems.isEmpty { Terminal.say("ok: \(file.path)") }
            // Which routes run on the compiled record path, and why the others are interpreted.
            if let spec, spec.needsDecoding {
                for line in CompiledRecordStage.make(spec, catalog: catalog).report.lines { Terminal.say("  \(line)") }
            }
        }
        Terminal.say("\(targets.count) connector file(s): \(errors) error(s), \(warnings) warning(s)")
        if errors > 0 { throw ExitCode(1) }
    }

    /// `verify: none` accepts anyone's webhooks: an error when the ingress listener is not on
    /// loopback (`syncline up` refuses it too), a warning when the listener is not known here.
    func unverifiedIngressProblem(_ spec: ConnectorSpec, file: String) -> ConfigProblem? {
        guard let ingress = spec.ingress, ingress.verify == .none else { return nil }
        let address = (ingressAddressText ?? "").isEmpty ? nil : ListenAddress(ingressAddressText ?? "")
        if let address, address.isLoopback { return nil }
        let message = address.map {
            "ingress verify: none on \($0), which is not loopback: anyone who can reach it can publish (use hmac, zendesk, twilio or wecom)"
        } ?? "ingress verify: none is accepted only when the ingress listener is on loopback (syncline up --ingress 127.0.0.1:PORT)"
        return ConfigProblem(file: file, field: "ingress.verify", message: message, severity: address == nil ? .warning : .error, connector: spec.name)
    }

    /// `--ingress`, else `$SYNCLINE_INGRESS`.
    var ingressAddressText: String? { ingress ?? ProcessInfo.processInfo.environment["SYNCLINE_INGRESS"] }

    static func connectorFiles(in directory: URL) -> [URL] {
        ((try? FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)) ?? [])
            .filter { ["yaml", "yml"].contains($0.pathExtension) }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
    }
}
