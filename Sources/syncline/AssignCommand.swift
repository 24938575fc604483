import ArgumentParser
import Foundation
import SynclineMapping
import SynclineConnectors
import SynclineKafka

/// `syncline assign`: where the lead-assignment rules send one lead (JSON on stdin, or `--lead ID`
/// read from crm.leads.v1), and with `--explain` the decision path rule by rule — matched, or
/// skipped and why — the debugging view a sales-ops person needs.
struct AssignCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "assign",
        abstract: "Show where the assignment rules send a lead (stdin JSON or --lead ID) and, with --explain, why.")

    @OptionGroup var common: CommonOptions

    @Option(help: "The assignment connector file (default: connectors/assignment.yaml under --root).")
    var connector: String?

    @Flag(help: "Print the decision path: every rule in order, matched or skipped and why.")
    var explain = false

    @Option(help: "A lead id to read from \(TopicNames.leads) (needs --brokers) instead of a lead JSON on stdin.")
    var lead: String?

    @Option(help: "Bootstrap servers, for --lead.")
    var brokers: String?

    @Option(help: "The rules' day to decide for (YYYY-MM-DD; default: the lead's occurred_at day, else today).")
    var date: String?

    @Flag(help: "Print the decision as JSON (the \(TopicNames.leadAssignments) fields plus the path).")
    var json = false

    func run() async throws {
        let file = connector.map { URL(fileURLWithPath: $0) } ?? common.rootURL.appendingPathComponent("connectors/assignment.yaml")
        let rules: AssignmentRules
        do throws(ConfigProblems) {
            let spec = try ConnectorSpecParser.load(file: file)
            let (parsed, problems) = AssignmentRulesParser.parse(spec: spec)
            let errors = problems.filter { $0.severity == .error }
            guard let parsed, errors.isEmpty else { throw ConfigProblems(errors) }
            rules = parsed
        } catch {
            Terminal.complain("syncline assign: the rules do not load (run `syncline validate \(file.path)`):\n\(error)")
            throw ExitCode(2)
        }
        let document = try await readLead()
        guard let lead = AssignmentLead(document: document) else {
            Terminal.complain("syncline assign: the lead has no lead_id")
            throw ExitCode(2)
        }
        let decider = AssignmentDecider(rules: rules)
        let day = date ?? decider.day(ofMs: lead.occurredAtMs ?? EpochClock.nowMs())
        // Without the running hub's state: no owner counts as loaded, and round robin goes by lead id.
        let decision = decider.decide(lead, day: day)
        if json {
            var members = AssignmentStage.members(decision, decidedAtMs: EpochClock.nowMs())
            members["path"] = .array(decision.explanation.map(JSONValue.string))
            Terminal.say(JSONValue.object(members).jsonText)
            return
        }
        if explain {
            Terminal.say("lead \(lead.leadID) · rules of \(file.lastPathComponent) for \(day)")
            let fields = AssignmentRules.Field.allCases.filter { rules.fieldsRead.contains($0) }.map { field -> String in
                let value = lead.value(field) ?? "(empty)"
                if field == .region, let city = lead.value(.city) { return "region: \(rules.region(ofCity: city) ?? "none") (city \(city))" }
                return "\(field.rawValue): \(value)"
            }
            Terminal.say("  " + fields.joined(separator: " · "))
            for line in decision.explanation { Terminal.say(line) }
            Terminal.say("(owner load and round-robin position are the running hub's; here no owner is at capacity and round robin goes by lead id)")
        } else {
            Terminal.say(decision.owner.map { "\(lead.leadID) → \($0) (rule \(decision.rule))" } ?? "\(lead.leadID) → pool \(decision.pool ?? "") (\(decision.reason))")
        }
    }

    /// The lead: from crm.leads.v1 by id (the newest record under that key), else stdin.
    func readLead() async throws -> JSONValue {
        guard let lead else {
            let bytes = Array(FileHandle.standardInput.readDataToEndOfFile())
            do { return try JSONParser.parse(bytes) } catch {
                Terminal.complain("syncline assign: stdin is not a JSON lead: \(error)")
                throw ExitCode(2)
            }
        }
        guard let brokers else {
            Terminal.complain("syncline assign: --lead reads \(TopicNames.leads) and needs --brokers")
            throw ExitCode(2)
        }
        let catalog = try? TopicCatalog.load(directory: common.rootURL.appendingPathComponent("topics"))
        let partitions = catalog?[TopicNames.leads]?.partitions ?? 12
        let config = KafkaConfig(bootstrapServers: brokers)
        let logger = common.makeLogger()
        let records = try await BlockingThread.run {
            try KafkaTopicReader(config: config, logger: logger).readAll(topic: TopicNames.leads, partitions: partitions)
        }
        guard let record = records.last(where: { $0.key.map { String(decoding: $0, as: UTF8.self) } == lead }),
              let value = record.value, let document = try? JSONParser.parse(value) else {
            Terminal.complain("syncline assign: no lead \(lead) on \(TopicNames.leads)")
            throw ExitCode(1)
        }
        return document
    }
}
