import Foundation
import SynclineMapping
import Testing

/// The shipped `topics/` catalogue, and the errors a malformed topic file produces.
@Suite("TopicCatalog")
struct TopicCatalogTests {
    // MARK: - The shipped catalogue

    /// `<repo>/topics`, found from this file's path (`<repo>/Tests/SynclineMappingTests/…`).
    static let topicsDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()
        .deletingLastPathComponent()
        .deletingLastPathComponent()
        .appendingPathComponent("topics", isDirectory: true)

    static let connectors = ["marketing", "tickets", "erp", "im", "telephony"]

    /// Every topic SPEC §3 and §5 name.
    static let specTopics: [String] =
        [
            TopicNames.rawMarketing, TopicNames.rawTickets, TopicNames.rawERPOrders, TopicNames.rawERPPayments,
            TopicNames.rawIM, TopicNames.rawTelephony,
            TopicNames.customers, TopicNames.leads, TopicNames.customerUpdates, TopicNames.activities,
            TopicNames.orders, TopicNames.payments,
            TopicNames.alerts, TopicNames.latency,
        ] + connectors.map { TopicNames.dlq(connector: $0) }

    static func shippedCatalog() throws -> TopicCatalog {
        do {
            return try TopicCatalog.load(directory: topicsDirectory)
        } catch {
            Issue.record("the shipped topics/ directory has problems:\n\(error.description)")
            throw error
        }
    }

    @Test func shippedTopicsLoadWithoutProblems() throws {
        let catalog = try Self.shippedCatalog()
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.topicsDirectory.path)
            .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }
        #expect(catalog.topics.count == files.count, "every file declares exactly one topic")
        #expect(catalog.topics.count >= Self.specTopics.count)
    }

    @Test func shippedTopicsIncludeEverySpecTopic() throws {
        let catalog = try Self.shippedCatalog()
        for name in Self.specTopics {
            #expect(catalog[name] != nil, "topics/ declares no \(name)")
        }
    }

    @Test func everyFileIsNamedAfterItsTopic() throws {
        let catalog = try Self.shippedCatalog()
        for topic in catalog.topics {
            #expect(URL(fileURLWithPath: topic.file).lastPathComponent == "\(topic.name).yaml")
            #expect(topic.kind != nil, "\(topic.name) follows no naming family")
            #expect(!topic.description.isEmpty, "\(topic.name) has no description")
            #expect(topic.replicationFactor >= 1)
        }
    }

    @Test func canonicalTopicsHaveSchemasKeyedByARequiredField() throws {
        let catalog = try Self.shippedCatalog()
        let canonical = catalog.topics.filter { $0.kind == .canonical }
        #expect(canonical.count == 8, "the six CRM entities, crm.lead_assignments.v1 and crm.finance_receipts.v1")
        for topic in canonical + [try #require(catalog[TopicNames.alerts]), try #require(catalog[TopicNames.latency])] {
            let schema = try #require(topic.schema, "\(topic.name) has no schema")
            #expect(!schema.isEmpty)
            let key = try #require(topic.key, "\(topic.name) declares no key")
            let keyField = try #require(topic.field(key), "\(topic.name): key '\(key)' is not in the schema")
            #expect(keyField.required, "\(topic.name): key field '\(key)' must be required")
            #expect(topic.format == .json)
            for field in schema {
                #expect(NameRules.isSnakeCaseASCII(field.name), "\(topic.name).\(field.name)")
                #expect(!(field.description ?? "").isEmpty, "\(topic.name).\(field.name) has no description")
            }
        }
    }

    @Test func customersTopicIsCompactedAndCarriesEveryIdentifier() throws {
        let customers = try #require(try Self.shippedCatalog()[TopicNames.customers])
        #expect(customers.key == "customer_id")
        #expect(customers.config.first { $0.key == "cleanup.policy" }?.value == "compact")
        for name in ["phones", "emails", "wecom_external_ids", "dingtalk_ids"] {
            #expect(customers.field(name)?.type == .array, "crm.customers.v1.\(name)")
        }
        #expect(customers.field("owner")?.type == .string)
        #expect(customers.field("updated_at")?.type == .timestamp)
    }

    @Test func paymentsCarryExactMoney() throws {
        let payments = try #require(try Self.shippedCatalog()[TopicNames.payments])
        for name in ["gross_amount", "fee", "fx_loss", "net_amount"] {
            let field = try #require(payments.field(name), "crm.payments.v1.\(name)")
            #expect(field.type == .decimal)
            #expect(field.scale == 2)
            #expect(field.required)
        }
        let rate = try #require(payments.field("exchange_rate"))
        #expect(rate.type == .decimal)
        #expect((rate.scale ?? 0) > 2)
        #expect(payments.field("payment_stage")?.values == ["received", "settled", "refunded"])
        #expect(payments.field("source")?.values == ["paypal", "bank"])
        #expect(payments.field("voucher_ref")?.required == true)
        #expect(payments.field("received_at")?.type == .timestamp)
    }

    @Test func activitiesAlertsAndLatencyCarryWhatTheConnectorsFill() throws {
        let catalog = try Self.shippedCatalog()
        let activities = try #require(catalog[TopicNames.activities])
        #expect(activities.field("kind")?.values == ["ticket", "chat", "call"])
        #expect(activities.field("customer_id")?.required == false, "customer_id is null when unlinked")
        for name in ["duration_seconds", "billable_seconds", "message_count"] {
            #expect(activities.field(name)?.type == .int, "crm.activities.v1.\(name)")
        }
        #expect(activities.field("from_phone")?.type == .phone)
        #expect(activities.field("participants")?.type == .array)

        let alerts = try #require(catalog[TopicNames.alerts])
        let kinds = try #require(alerts.field("kind")?.values)
        #expect(kinds.contains("unlinked_conversation") && kinds.contains("unlinked_call"))

        let latency = try #require(catalog[TopicNames.latency])
        for name in ["source_ts", "broker_ts", "consume_ts", "ack_ts"] {
            #expect(latency.field(name)?.type == .timestamp, "hub.latency.v1.\(name)")
        }
        #expect(latency.field("attribution")?.values == ["upstream", "hub_queue", "processing"])

        let leads = try #require(catalog[TopicNames.leads])
        #expect(leads.field("phone")?.type == .phone)
        #expect(leads.field("extra")?.type == .object)
        #expect(leads.field("customer_level")?.type == .enum)
    }

    @Test func rawAndDLQTopicsHaveNoSchemaAndDLQsKeepFourteenDays() throws {
        let catalog = try Self.shippedCatalog()
        for topic in catalog.topics where topic.kind == .raw {
            #expect(topic.schema == nil, "\(topic.name) carries the upstream's native format")
            #expect(topic.partitions >= 12, "\(topic.name): the embedded cluster keeps only 5 MiB per partition")
        }
        for connector in Self.connectors {
            let dlq = try #require(catalog[TopicNames.dlq(connector: connector)])
            #expect(dlq.config.first { $0.key == "retention.ms" }?.value == "1209600000")
            #expect(dlq.description.contains("original"))
        }
    }

    /// The catalogue table in topics/README.md lists every topic with its partitions and key, and
    /// nothing else, so it cannot drift from the files.
    @Test func readmeTableMatchesTheFiles() throws {
        let catalog = try Self.shippedCatalog()
        let readme = try String(
            contentsOf: Self.topicsDirectory.appendingPathComponent("README.md"), encoding: .utf8)
        var rows: [String: [String]] = [:]
        for line in readme.split(separator: "\n") where line.hasPrefix("|") {
            let cells = line.split(separator: "|", omittingEmptySubsequences: false).dropFirst().dropLast()
                .map { $0.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "`", with: "") }
            guard let first = cells.first, TopicSpec.kind(of: first) != nil else { continue }
            #expect(rows[first] == nil, "topics/README.md lists \(first) twice")
            rows[first] = Array(cells)
        }
        for topic in catalog.topics {
            guard let cells = rows[topic.name] else {
                Issue.record("topics/README.md does not list \(topic.name)")
                continue
            }
            #expect(cells.count >= 4, "\(topic.name): row needs name | partitions | key | carries")
            #expect(cells.dropFirst().first == String(topic.partitions), "\(topic.name): partitions in README")
            #expect(cells.dropFirst(2).first == (topic.key ?? "—"), "\(topic.name): key in README")
        }
        for name in rows.keys where catalog[name] == nil {
            Issue.record("topics/README.md lists \(name), which no file in topics/ declares")
        }
    }

    // MARK: - Malformed files

    /// A minimal valid canonical topic; the bad files below are variations of it.
    static let validCanonical = """
        name: crm.widgets.v1
        description: Test topic.
        partitions: 3
        key: widget_id
        format: json
        schema:
          widget_id: {type: string, required: true, description: The key.}
          amount: {type: decimal, scale: 2}
          status: {type: enum, values: [open, closed]}
        """

    /// Writes `files` (name → contents) into a fresh temporary directory, loads it and returns the
    /// problems; records an issue when loading unexpectedly succeeds.
    func problems(_ files: [String: String], sourceLocation: SourceLocation = #_sourceLocation) throws -> [ConfigProblem] {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("syncline-topics-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        for (name, text) in files {
            try text.write(to: directory.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        do {
            let catalog = try TopicCatalog.load(directory: directory)
            Issue.record("expected problems, but loaded \(catalog.topics.map(\.name))", sourceLocation: sourceLocation)
            return []
        } catch {
            #expect(!error.problems.isEmpty, sourceLocation: sourceLocation)
            return error.problems
        }
    }

    /// Loads one bad file and expects a problem naming that file, the field, and the offending value.
    func expectProblem(
        file: String = "bad.yaml", _ text: String, field: String, mentions: [String],
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let found = try problems([file: text], sourceLocation: sourceLocation)
        let match = found.first { $0.field == field }
        guard let match else {
            Issue.record("no problem at field '\(field)'; got:\n\(ConfigProblems(found))", sourceLocation: sourceLocation)
            return
        }
        #expect(match.file.hasSuffix("/\(file)"), "problem names \(match.file)", sourceLocation: sourceLocation)
        #expect(match.severity == .error, sourceLocation: sourceLocation)
        for word in mentions {
            #expect(match.message.contains(word), "'\(match.message)' should mention '\(word)'", sourceLocation: sourceLocation)
        }
        // The rendered form names the file and the field, as the CLI prints it.
        #expect(match.description.contains(file), sourceLocation: sourceLocation)
        if !field.isEmpty {
            #expect(match.description.contains("field \(field)"), sourceLocation: sourceLocation)
        }
    }

    static func replacing(_ old: String, with new: String) -> String {
        validCanonical.replacingOccurrences(of: old, with: new)
    }

    @Test func theValidBaseLoads() throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("syncline-topics-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try Self.validCanonical.write(
            to: directory.appendingPathComponent("crm.widgets.v1.yaml"), atomically: true, encoding: .utf8)
        let catalog = try TopicCatalog.load(directory: directory)
        let topic = try #require(catalog["crm.widgets.v1"])
        #expect(topic.partitions == 3)
        #expect(topic.schema?.map(\.name) == ["widget_id", "amount", "status"])
        #expect(topic.field("amount")?.scale == 2)
        #expect(topic.field("widget_id")?.required == true)
    }

    @Test func missingName() throws {
        try expectProblem(Self.replacing("name: crm.widgets.v1\n", with: ""), field: "name", mentions: ["'name'", "missing"])
    }

    @Test func missingPartitions() throws {
        try expectProblem(Self.replacing("partitions: 3\n", with: ""), field: "partitions", mentions: ["'partitions'", "missing"])
    }

    @Test func zeroPartitions() throws {
        try expectProblem(Self.replacing("partitions: 3", with: "partitions: 0"), field: "partitions", mentions: ["partitions", "0"])
    }

    @Test func nonNumericPartitions() throws {
        try expectProblem(
            Self.replacing("partitions: 3", with: "partitions: twelve"), field: "partitions", mentions: ["whole number", "twelve"])
    }

    @Test func unknownFieldType() throws {
        try expectProblem(
            Self.replacing("{type: decimal, scale: 2}", with: "{type: money, scale: 2}"),
            field: "schema.amount.type", mentions: ["unknown type", "money", "decimal"])
    }

    @Test func enumWithoutValues() throws {
        try expectProblem(
            Self.replacing("{type: enum, values: [open, closed]}", with: "{type: enum}"),
            field: "schema.status.values", mentions: ["status", "values"])
    }

    @Test func enumWithEmptyValues() throws {
        try expectProblem(
            Self.replacing("values: [open, closed]", with: "values: []"),
            field: "schema.status.values", mentions: ["status", "values"])
        try expectProblem(
            Self.replacing("{type: enum, values: [open, closed]}", with: "{type: enum, values: }"),
            field: "schema.status.values", mentions: ["status", "values"])
    }

    @Test func enumWithDuplicateOrEmptyValues() throws {
        try expectProblem(
            Self.replacing("values: [open, closed]", with: "values: [open, closed, open]"),
            field: "schema.status.values", mentions: ["'open'", "twice"])
        try expectProblem(
            Self.replacing("values: [open, closed]", with: "values: [open, \"\"]"),
            field: "schema.status.values", mentions: ["status", "empty"])
    }

    @Test func emptyKey() throws {
        try expectProblem(Self.replacing("key: widget_id", with: "key:"), field: "key", mentions: ["key is empty"])
    }

    @Test func decimalWithoutScale() throws {
        try expectProblem(
            Self.replacing("{type: decimal, scale: 2}", with: "{type: decimal}"),
            field: "schema.amount.scale", mentions: ["amount", "scale"])
    }

    @Test func fieldNameNotSnakeCase() throws {
        try expectProblem(
            Self.replacing("  amount:", with: "  customerAmount:"),
            field: "schema.customerAmount", mentions: ["customerAmount", "snake_case"])
        try expectProblem(
            Self.replacing("  amount:", with: "  \"customer level\":"),
            field: "schema.customer level", mentions: ["customer level", "snake_case"])
    }

    @Test func keyNotInSchema() throws {
        try expectProblem(
            Self.replacing("key: widget_id", with: "key: widget_code"), field: "key", mentions: ["widget_code", "schema"])
    }

    @Test func unknownTopLevelKey() throws {
        try expectProblem(
            Self.replacing("partitions: 3", with: "partitons: 3"), field: "partitons", mentions: ["partitons", "partitions"])
    }

    @Test func unknownFieldKey() throws {
        try expectProblem(
            Self.replacing("{type: decimal, scale: 2}", with: "{type: decimal, scael: 2}"),
            field: "schema.amount.scael", mentions: ["scael", "scale"])
    }

    @Test func badYAMLSyntax() throws {
        try expectProblem(
            Self.replacing("partitions: 3", with: "partitions: [3"), field: "", mentions: ["not valid YAML", "line"])
        try expectProblem(
            "name: crm.widgets.v1\n  partitions: 3\n\tkey: x\n", field: "", mentions: ["not valid YAML"])
    }

    @Test func nameViolatingTheNamingRule() throws {
        for bad in ["crm.Widgets.v1", "crm.widgets", "widgets.v1", "raw.marketing.v1", "crm.widgets.version1", "kafka.widgets.v1"] {
            try expectProblem(
                Self.replacing("name: crm.widgets.v1", with: "name: \(bad)"), field: "name", mentions: [bad, "does not follow"])
        }
    }

    @Test func canonicalTopicWithoutSchema() throws {
        let text = """
            name: crm.widgets.v1
            description: Test topic.
            partitions: 3
            format: json
            """
        try expectProblem(text, field: "schema", mentions: ["crm.widgets.v1", "schema"])
    }

    @Test func rawTopicNeedsNoSchema() throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("syncline-topics-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try "name: raw.shop.orders.v1\npartitions: 2\nformat: xml\n".write(
            to: directory.appendingPathComponent("raw.shop.orders.v1.yaml"), atomically: true, encoding: .utf8)
        let catalog = try TopicCatalog.load(directory: directory)
        #expect(catalog["raw.shop.orders.v1"]?.format == .xml)
        #expect(catalog["raw.shop.orders.v1"]?.schema == nil)
    }

    @Test func twoFilesDeclaringTheSameTopic() throws {
        let found = try problems(["a-widgets.yaml": Self.validCanonical, "b-widgets.yaml": Self.validCanonical])
        #expect(found.count == 1)
        let problem = try #require(found.first)
        #expect(problem.file.hasSuffix("/b-widgets.yaml"))
        #expect(problem.field == "name")
        #expect(problem.message.contains("crm.widgets.v1"))
        #expect(problem.message.contains("a-widgets.yaml"), "the message names the earlier file")
    }

    @Test func fileThatIsAListNotAMapping() throws {
        try expectProblem("- name: crm.widgets.v1\n- partitions: 3\n", field: "", mentions: ["mapping", "a list"])
    }

    @Test func emptyFile() throws {
        try expectProblem("# nothing here\n", field: "", mentions: ["empty"])
    }

    @Test func unknownFormat() throws {
        try expectProblem(Self.replacing("format: json", with: "format: protobuf"), field: "format", mentions: ["protobuf", "json"])
    }

    @Test func severalProblemsInOneFileAreAllReported() throws {
        let text = """
            name: crm.widgets.v1
            partitions: 0
            replicaton_factor: 1
            key: widget_code
            schema:
              widget_id: {type: string}
              Amount: {type: decimal}
              status: {type: enum}
              when: {type: datetime}
            """
        let found = try problems(["crm.widgets.v1.yaml": text])
        let fields = Set(found.map(\.field))
        for field in [
            "partitions", "replicaton_factor", "key", "schema.Amount", "schema.Amount.scale", "schema.status.values",
            "schema.when.type",
        ] {
            #expect(fields.contains(field), "no problem reported for \(field); got \(fields.sorted())")
        }
        #expect(found.allSatisfy { $0.file.hasSuffix("/crm.widgets.v1.yaml") })
    }

    @Test func problemsInSeveralFilesAreAllReported() throws {
        let found = try problems([
            "one.yaml": Self.replacing("partitions: 3", with: "partitions: -1"),
            "two.yaml": Self.replacing("name: crm.widgets.v1", with: "name: crm.gadgets.v1")
                .replacingOccurrences(of: "{type: decimal, scale: 2}", with: "{type: decimal}"),
            "three.yaml": "[not, a, mapping]",
        ])
        #expect(Set(found.map { URL(fileURLWithPath: $0.file).lastPathComponent }) == ["one.yaml", "two.yaml", "three.yaml"])
        #expect(found.contains { $0.file.hasSuffix("/one.yaml") && $0.field == "partitions" && $0.message.contains("-1") })
        #expect(found.contains { $0.file.hasSuffix("/two.yaml") && $0.field == "schema.amount.scale" })
    }

    @Test func unreadableDirectoryIsAProblem() throws {
        let missing = FileManager.default.temporaryDirectory.appendingPathComponent("syncline-no-such-\(UUID().uuidString)")
        do {
            _ = try TopicCatalog.load(directory: missing)
            Issue.record("loading a missing directory should fail")
        } catch {
            let problem = try #require(error.problems.first)
            #expect(problem.file == missing.path)
            #expect(problem.message.contains("topics directory"))
        }
    }
}

@Suite("Topics the project does not own: naming: external")
struct ExternalTopicNamingTests {
    @Test("an external topic keeps its name; the same name without naming: external is refused with a pointer to it; a connector may name it")
    func externalNames() throws {
        let external = """
            name: salesforce-leads
            description: Leads as the Salesforce export writes them; not ours to rename.
            partitions: 3
            naming: external
            """
        let spec = try TopicSpecParser.parse(external, file: "topics/salesforce-leads.yaml")
        #expect(spec.isExternal && spec.kind == nil)
        do {
            _ = try TopicSpecParser.parse(external.replacingOccurrences(of: "naming: external", with: ""), file: "topics/x.yaml")
            Issue.record("a non-conforming name without naming: external must be refused")
        } catch {
            #expect(error.problems.contains { $0.message.contains("naming: external") })
        }
        do {
            _ = try TopicSpecParser.parse(external.replacingOccurrences(of: "naming: external", with: "naming: theirs"), file: "topics/x.yaml")
            Issue.record("an unknown naming value must be refused")
        } catch {
            #expect(error.problems.contains { $0.message.contains("naming must be 'project' (default) or 'external'") })
        }
        let connector = try ConnectorSpecParser.parse("""
            name: sf
            input: {topics: [salesforce-leads]}
            dlq: hub.audit.v1
            routes:
              - {name: all, topic: hub.audit.v1}
            """, file: "connectors/sf.yaml")
        var catalog = try TestSupport.catalog()
        #expect(ConnectorLinter.undeclaredTopics(connector, catalog: catalog).map(\.field) == ["input.topics"])
        catalog = TopicCatalog(topics: catalog.topics + [spec])
        #expect(ConnectorLinter.undeclaredTopics(connector, catalog: catalog).isEmpty)
    }
}
