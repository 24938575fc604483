import Foundation
import SynclineConnectors
import SynclineMapping
import Testing

/// Issue 17: a ticket tagged as a complaint raises one `customer_complained` alert (customer, ticket,
/// tags, first line), through the processors the hub runs for the shipped tickets connector.
@Suite("complaint alerts: the tickets connector raises one customer_complained alert per complaint")
struct ComplaintAlertTests {
    static let samples = ProcessorHarness.repositoryRoot.appendingPathComponent("connectors/samples/tickets/zendesk/valid")

    static func pipeline(_ harness: ProcessorHarness, nowMs: Int64 = 1_767_225_600_000) throws -> RecordPipeline {
        let spec = try ProcessorHarness.spec("tickets")
        let assembly = ConnectorAssembly(catalog: harness.catalog, identity: harness.identity, activities: harness.store, logger: ProcessorHarness.logger)
        let pipeline = try assembly.build(spec).pipeline
        #expect(pipeline.stages.contains { $0 is ComplaintAlertStage }, "the hub's tickets connector carries the complaint stage")
        return pipeline
    }

    static func alerts(_ context: RecordContext) -> [OutputRecord] { context.outputs.filter { $0.topic == TopicNames.alerts } }

    @Test("every open complaint sample raises one alert naming customer and ticket; the solved one and ordinary tickets raise none")
    func samplesRaiseAlerts() throws {
        let pipeline = try Self.pipeline(try ProcessorHarness())
        for name in try FileManager.default.contentsOfDirectory(atPath: Self.samples.path).sorted() {
            let text = try String(contentsOf: Self.samples.appendingPathComponent(name), encoding: .utf8)
            let context = try pipeline.run(ProcessorHarness.record(text, topic: TopicNames.rawTickets)).get()
            let alerts = Self.alerts(context)
            // A complaint already solved or closed (`complained: false`) raises nothing.
            let open = context.outputs.contains { $0.topic == TopicNames.customerUpdates && ProcessorHarness.json($0)["complained"] == .bool(true) }
            #expect(open == (name.hasPrefix("complaint") && name != "complaint-custom-field-external-id.json"), "\(name): the solved sample")
            #expect(alerts.count == (open ? 1 : 0), "\(name)")
            guard let alert = alerts.first else { continue }
            let value = ProcessorHarness.json(alert)
            let ticket = try #require(value["ticket_id"]?.stringValue)
            #expect(String(decoding: alert.key ?? [], as: UTF8.self) == "customer_complained-helpdesk-\(ticket)")
            #expect(value["kind"] == .string("customer_complained"))
            #expect(value["customer_ref"]?.stringValue?.isEmpty == false, "\(name) names the customer")
            #expect(alert.headers.last(named: HeaderNames.ceType)?.text == "syncline.hub.customer_complained")
            #expect(alert.headers.last(named: HeaderNames.ceID)?.text == String(decoding: alert.key ?? [], as: UTF8.self))
        }
    }

    @Test("the alert carries the first line of the complaint, its tags and the customer")
    func content() throws {
        let pipeline = try Self.pipeline(try ProcessorHarness())
        let text = try String(contentsOf: Self.samples.appendingPathComponent("complaint-tag-phone.json"), encoding: .utf8)
            .replacingOccurrences(of: "登录时提示密码错误，重置后仍然不行。", with: "\\n  Call me at +86 139 1234 5678 now!\\nSecond line")
        let context = try pipeline.run(ProcessorHarness.record(text, topic: TopicNames.rawTickets)).get()
        let alert = try #require(Self.alerts(context).first)
        let value = ProcessorHarness.json(alert)
        #expect(value["first_line"] == .string("Call me at +86 139 1234 5678 now!"))
        #expect(value["tags"] == .array([.string("投诉"), .string("refund")]))
        #expect(value["customer_ref"] == .string("phone:+8613912345678"))
        #expect(value["message"]?.stringValue == "Customer complained on ticket 1077 (tags: 投诉, refund): Call me at +86 139 1234 5678 now!")
    }

    @Test("further events of the same complaint raise no second alert; a solved complaint raises none; another ticket raises its own")
    func oncePerComplaint() throws {
        let pipeline = try Self.pipeline(try ProcessorHarness())
        let base = try String(contentsOf: Self.samples.appendingPathComponent("complaint-tag-phone.json"), encoding: .utf8)
        func send(_ eventID: String, ticket: Int = 1077, status: String = "open", type: String = "ticket.created") throws -> [OutputRecord] {
            let text = base.replacingOccurrences(of: "zd-ev-3005", with: eventID).replacingOccurrences(of: "1077", with: String(ticket))
                .replacingOccurrences(of: "\"status\": \"open\"", with: "\"status\": \"\(status)\"")
                .replacingOccurrences(of: "ticket.created", with: type)
            return Self.alerts(try pipeline.run(ProcessorHarness.record(text, topic: TopicNames.rawTickets)).get())
        }
        #expect(try send("e1").count == 1)
        #expect(try send("e1").count == 0, "a redelivered event")
        #expect(try send("e2", type: "ticket.updated").count == 0, "a later event of the same complaint")
        #expect(try send("e3", ticket: 2000, status: "solved").count == 0, "a complaint already solved is not an open complaint")
        #expect(try send("e4", ticket: 2001).count == 1, "another complaint")
    }

    @Test("the first line skips blank lines and trims; long lines are cut at 200 characters")
    func firstLine() {
        #expect(ComplaintAlert.firstLine(of: "\n \n  Refund missing  \nmore") == "Refund missing")
        #expect(ComplaintAlert.firstLine(of: "") == "")
        let long = ComplaintAlert.firstLine(of: String(repeating: "x", count: 500))
        #expect(long.count == 200 && long.hasSuffix("…"))
    }
}
