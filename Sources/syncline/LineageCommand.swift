import ArgumentParser
import Foundation
import SynclineAdmin
import SynclineMapping

/// `syncline lineage`: the data lineage map from topics/ and connectors/ as Mermaid, dot, JSON or
/// SVG (with live figures from a running hub's admin API when `--admin` reaches one), or with
/// `--field T.F` every connector and route that writes one canonical field, and how.
struct LineageCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lineage",
        abstract: "The lineage map (systems → raw topics → connectors → canonical and hub topics), or who writes one field.")

    enum Format: String, ExpressibleByArgument, CaseIterable { case mermaid, dot, json, svg }

    @OptionGroup var common: CommonOptions

    @Option(help: "mermaid, dot, json or svg.")
    var format: Format = .mermaid

    @Option(help: "A canonical field, topic.field (\(TopicNames.leads).phone): list every rule that writes it.")
    var field: String?

    @Option(help: "A running hub's admin server: adds live rates and DLQ shares to the edges.")
    var admin: String?

    struct Answer: Decodable {
        var connectors: [ConnectorStatus]
    }

    func run() async throws {
        let catalog = try TopicsCommand.loadCatalog(common)
        let specs: [ConnectorSpec]
        do throws(ConfigProblems) {
            specs = try ConnectorSpecParser.loadAll(directory: common.rootURL.appendingPathComponent("connectors"))
        } catch {
            Terminal.complain(error.description)
            throw ExitCode(2)
        }
        if let field {
            try printWriters(of: field, specs: specs, catalog: catalog)
            return
        }
        var graph = LineageGraphBuilder.build(catalog: catalog, specs: specs)
        if let admin {
            do {
                let answer = try await AdminClient(address: admin).get("/api/v1/connectors", as: Answer.self)
                graph = graph.annotated(with: answer.connectors.map(\.lineageFigures))
            } catch {
                Terminal.complain("syncline lineage: no live figures, the admin API at \(admin) did not answer: \(error)")
            }
        }
        switch format {
        case .mermaid: FileHandle.standardOutput.write(Data(graph.mermaid.utf8))
        case .dot: FileHandle.standardOutput.write(Data(graph.dot.utf8))
        case .json: FileHandle.standardOutput.write(Data(graph.json.utf8))
        case .svg: FileHandle.standardOutput.write(Data(LineageSVG.render(graph).utf8))
        }
    }

    func printWriters(of field: String, specs: [ConnectorSpec], catalog: TopicCatalog) throws {
        guard let dot = field.lastIndex(of: "."), let topic = catalog[String(field[..<dot])] else {
            Terminal.complain("syncline lineage: --field takes topic.field with a declared topic, e.g. \(TopicNames.leads).phone")
            throw ExitCode(2)
        }
        let name = String(field[field.index(after: dot)...])
        if topic.schema != nil && topic.field(name) == nil {
            Terminal.complain("syncline lineage: \(topic.name) has no field '\(name)' in its schema (\(topic.file))")
            throw ExitCode(2)
        }
        let writers = FieldLineage.writers(of: field, specs: specs, catalog: catalog)
        if let schema = topic.field(name) {
            Terminal.say("\(field): \(schema.type.rawValue)\(schema.required ? ", required" : "")\(schema.description.map { " — \($0)" } ?? "")")
        }
        guard !writers.isEmpty else {
            Terminal.say("no connector writes \(field)")
            return
        }
        for writer in writers {
            Terminal.say("")
            let root = common.rootURL.standardizedFileURL.path + "/"
            let file = writer.file.hasPrefix(root) ? String(writer.file.dropFirst(root.count)) : writer.file
            Terminal.say("\(writer.connector) / route \(writer.route)  (\(file): \(writer.location))")
            Terminal.say("  source: \(writer.source)")
            if !writer.normalisation.isEmpty { Terminal.say("  normalisation: \(writer.normalisation.joined(separator: "; "))") }
            for rule in writer.rules { Terminal.say("  rule: \(rule)") }
        }
    }
}

extension ConnectorStatus {
    /// What the lineage map shows of a connector's live status.
    var lineageFigures: LineageLiveFigures {
        LineageLiveFigures(connector: name, recordsPerSecond: recordsPerSecond, consumed: consumed, produced: produced, deadLettered: deadLettered)
    }
}
