import Foundation
import SynclineMapping
import SynclineTooling
import Testing

/// One sample file of a shipped connector: `samples/<connector>/<shape>/(valid|invalid)/<file>`;
/// an invalid sample's file name starts with the error code it must be rejected with (`<code>--…`).
struct ShippedSample: Sendable, CustomStringConvertible {
    let connector: String
    let shape: String
    let file: URL
    let bytes: [UInt8]
    /// nil for a valid sample.
    let expectedCode: String?

    var description: String { "\(connector)/\(shape)/\(expectedCode == nil ? "valid" : "invalid")/\(file.lastPathComponent)" }

    /// The raw topic each shape is published on.
    static let topics: [String: String] = [
        "marketing/form": "raw.marketing.events.v1",
        "tickets/zendesk": "raw.tickets.events.v1",
        "erp/orders": "raw.erp.orders.v1",
        "erp/paypal": "raw.erp.payments.v1",
        "erp/bank": "raw.erp.payments.v1",
    ]

    var topic: String { Self.topics["\(connector)/\(shape)"] ?? "" }

    static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    static func all(_ connector: String) throws -> [ShippedSample] {
        let fm = FileManager.default
        let base = repositoryRoot.appendingPathComponent("connectors/samples/\(connector)")
        var samples: [ShippedSample] = []
        for shape in try fm.contentsOfDirectory(atPath: base.path).sorted() {
            for kind in ["valid", "invalid"] {
                let folder = base.appendingPathComponent(shape).appendingPathComponent(kind)
                guard let files = try? fm.contentsOfDirectory(atPath: folder.path) else { continue }
                for name in files.sorted() where name.hasSuffix(".json") {
                    let url = folder.appendingPathComponent(name)
                    let code = kind == "invalid" ? String(name.prefix { $0 != "-" && $0 != "." }) : nil
                    samples.append(ShippedSample(
                        connector: connector, shape: shape, file: url, bytes: Array(try Data(contentsOf: url)), expectedCode: code))
                }
            }
        }
        return samples
    }
}

@Suite("Shipped connectors: lint, samples, payments sum")
struct ShippedConnectorsTests {
    static let names = ["marketing", "tickets", "erp"]
    var root: URL { ShippedSample.repositoryRoot }

    func catalog() throws -> TopicCatalog { try TopicCatalog.load(directory: root.appendingPathComponent("topics")) }

    func spec(_ name: String) throws -> ConnectorSpec {
        try ConnectorSpecParser.load(file: root.appendingPathComponent("connectors/\(name).yaml"))
    }

    @Test("each shipped connector lints clean against the shipped topics with its samples (as `syncline validate --samples`)", arguments: names)
    func lintsCleanWithSamples(_ name: String) throws {
        let loaded = SampleLoader.load(directory: root.appendingPathComponent("connectors/samples/\(name)"))
        #expect(loaded.unreadable.isEmpty, "\(loaded.unreadable)")
        #expect(loaded.documents.count >= 3)
        let text = try String(contentsOf: root.appendingPathComponent("connectors/\(name).yaml"), encoding: .utf8)
        let problems = ConnectorLinter.lint(text: text, file: "connectors/\(name).yaml", catalog: try catalog(), samples: loaded.documents)
        let errors = problems.filter { $0.severity == .error }
        #expect(errors.isEmpty, "\(errors.map(\.description).joined(separator: "\n"))")
        // Also what the runtime checks before it starts.
        _ = try PipelineBuilder.build(try spec(name), catalog: try catalog())
    }

    @Test("every sample maps, or is rejected with the code its file name gives", arguments: names)
    func everySampleAsItsFileSays(_ name: String) throws {
        let pipeline = try PipelineBuilder.build(try spec(name), catalog: try catalog())
        let samples = try ShippedSample.all(name)
        #expect(samples.contains { $0.expectedCode == nil })
        #expect(samples.contains { $0.expectedCode != nil })
        for (offset, sample) in samples.enumerated() {
            let input = InputRecord(topic: sample.topic, partition: 0, offset: Int64(offset), key: nil, value: sample.bytes)
            switch pipeline.run(input) {
            case .success(let context):
                #expect(sample.expectedCode == nil, "\(sample): expected \(sample.expectedCode ?? ""), but it mapped to \(context.outputs.map(\.topic))")
                #expect(!context.outputs.isEmpty, "\(sample): no output")
                #expect(context.outputs.allSatisfy { $0.topic.hasPrefix("crm.") }, "\(sample)")
            case .failure(let rejection):
                #expect(sample.expectedCode == rejection.code, "\(sample): rejected \(rejection)")
                #expect(ErrorCode(rawValue: rejection.code) != nil)
            }
        }
    }

    @Test("the tickets connector produces a complaint update for every complaint sample and none for the others")
    func complaintsProduceCustomerUpdates() throws {
        let pipeline = try PipelineBuilder.build(try spec("tickets"), catalog: try catalog())
        for sample in try ShippedSample.all("tickets") where sample.expectedCode == nil {
            let context = try pipeline.run(InputRecord(topic: sample.topic, partition: 0, offset: 0, key: nil, value: sample.bytes)).get()
            let complaint = sample.file.lastPathComponent.hasPrefix("complaint")
            #expect(context.outputs.map(\.topic) == (complaint ? ["crm.activities.v1", "crm.customer_updates.v1"] : ["crm.activities.v1"]), "\(sample)")
            let activity = try JSONParser.parse(try #require(context.outputs.first?.value))
            #expect(activity["complaint"] == .bool(complaint), "\(sample)")
        }
    }

    /// Finance's figure: net receipts summed over the canonical payments equal the sum computed
    /// independently from the raw sample files (Foundation.Decimal), to the cent.
    @Test("a batch of payments: the sum of net_amount equals the independent sum from the samples to the cent")
    func paymentsNetSum() throws {
        let pipeline = try PipelineBuilder.build(try spec("erp"), catalog: try catalog())
        let payments = try ShippedSample.all("erp").filter { $0.expectedCode == nil && $0.topic == "raw.erp.payments.v1" }
        #expect(payments.count >= 6)
        var canonical = ExactDecimal.zero
        var independent = Decimal(0)
        for sample in payments {
            let context = try pipeline.run(InputRecord(topic: sample.topic, partition: 0, offset: 0, key: nil, value: sample.bytes)).get()
            let output = try #require(context.outputs.first)
            #expect(output.topic == "crm.payments.v1")
            let record = try JSONParser.parse(try #require(output.value))
            guard case .number(let net)? = record["net_amount"] else {
                Issue.record("\(sample): net_amount is not a number: \(String(describing: record["net_amount"]))")
                continue
            }
            #expect(net.split(separator: ".").last?.count == 2, "\(sample): net_amount \(net) is not written with 2 places")
            canonical = try canonical.adding(try ExactDecimal.parse(net))
            independent += try Self.independentNet(sample.bytes, sample.file.lastPathComponent)
        }
        let measured = try #require(Decimal(string: canonical.description))
        #expect(measured == independent, "canonical sum \(canonical) vs independent \(independent)")
        print("payments batch: \(payments.count) payments, sum(net_amount) = \(canonical), independent = \(independent)")
    }

    /// gross − fee − fx loss straight from the upstream JSON, without the mapping engine.
    static func independentNet(_ bytes: [UInt8], _ name: String) throws -> Decimal {
        let object = try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
        func money(_ value: Any?) -> Decimal {
            if let text = value as? String { return Decimal(string: text) ?? 0 }
            if let money = value as? [String: Any], let text = money["value"] as? String { return Decimal(string: text) ?? 0 }
            return 0
        }
        if let resource = object["resource"] as? [String: Any] {
            if object["resource_type"] as? String == "refund" {
                let breakdown = resource["seller_payable_breakdown"] as? [String: Any] ?? [:]
                let gross = breakdown["gross_amount"].map(money) ?? money(resource["amount"])
                return -(gross - money(breakdown["paypal_fee"]))
            }
            let breakdown = resource["seller_receivable_breakdown"] as? [String: Any] ?? [:]
            let gross = breakdown["gross_amount"].map(money) ?? money(resource["amount"])
            return gross - money(breakdown["paypal_fee"])
        }
        let amount = money(object["amount"])
        let costs = money(object["fee"]) + money(object["fx_loss"])
        return object["callback_type"] as? String == "receipt.returned" ? -amount - costs : amount - costs
    }

    @Test("field completeness: the map stage lists the output schema's filled and empty fields")
    func fieldCompleteness() throws {
        let pipeline = try PipelineBuilder.build(try spec("marketing"), catalog: try catalog())
        let sample = try #require(try ShippedSample.all("marketing").first { $0.file.lastPathComponent == "landing-signup-email-only.json" })
        let context = try pipeline.run(InputRecord(topic: sample.topic, partition: 0, offset: 0, key: nil, value: sample.bytes)).get()
        let schema = try #require(try catalog()["crm.leads.v1"]?.schema)
        #expect(Set(context.filledFields).union(context.emptyFields) == Set(schema.map(\.name)))
        #expect(Set(context.filledFields).isDisjoint(with: context.emptyFields))
        for field in ["lead_id", "email", "city", "name", "source_channel", "consent_privacy", "extra"] {
            #expect(context.filledFields.contains(field), "\(field)")
        }
        for field in ["phone", "customer_level", "utm_medium", "campaign", "interest"] {
            #expect(context.emptyFields.contains(field), "\(field)")
        }
        // A connector writing several topics qualifies the field with the topic's entity.
        let tickets = try PipelineBuilder.build(try spec("tickets"), catalog: try catalog())
        let complaint = try #require(try ShippedSample.all("tickets").first { $0.file.lastPathComponent == "complaint-type-email-only.json" })
        let both = try tickets.run(InputRecord(topic: complaint.topic, partition: 0, offset: 0, key: nil, value: complaint.bytes)).get()
        #expect(both.filledFields.contains("activities.contact_email"))
        #expect(both.emptyFields.contains("activities.contact_phone"))
        #expect(both.filledFields.contains("customer_updates.customer_ref"))
        #expect(both.emptyFields.contains("customer_updates.phone"))
    }
}
