import Foundation
import SynclineMapping
import SynclineDemo
import Testing

/// The demo generator alone (no Kafka): every upstream shape appears, the invalid / late / stranger
/// shares are as designed, and the records the shipped declarative connectors read map cleanly —
/// or, when deliberately broken, are rejected.
@Suite("Demo traffic generator: shapes, shares, and realism against the shipped connectors")
struct DemoTrafficTests {
    static let start: Int64 = 1_714_557_600_000
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `count` records of the continuous mix at 40 records/s of simulated time, after the opening.
    static func generate(_ count: Int, settings: DemoTraffic.Settings = .init()) -> (opening: [DemoRecord], records: [(DemoRecord, Int64)]) {
        var traffic = DemoTraffic(settings: settings, nowMs: start)
        let opening = traffic.opening(nowMs: start)
        var records: [(DemoRecord, Int64)] = []
        var now = start
        for _ in 0..<count {
            now += 25
            records.append((traffic.next(nowMs: now), now))
        }
        return (opening, records)
    }

    @Test("every shape appears; invalid, late and stranger shares are near the settings")
    func shapesAndShares() {
        let settings = DemoTraffic.Settings()
        let (opening, generated) = Self.generate(12_000, settings: settings)
        #expect(opening.count == settings.customers)
        #expect(opening.allSatisfy { $0.topic == TopicNames.customers && !$0.invalid })
        let records = generated.map(\.0)
        let shapes = Set(records.map(\.shape))
        for shape in DemoTraffic.shapes { #expect(shapes.contains(shape), "no \(shape) record generated") }
        #expect(Set(records.map(\.topic)) == [
            TopicNames.customers, TopicNames.rawMarketing, TopicNames.rawTickets, TopicNames.rawERPOrders, TopicNames.rawERPPayments,
            TopicNames.rawIM, TopicNames.rawTelephony, TopicNames.rawFinanceReceipts,
        ])
        let upstream = records.filter { $0.connector != "customers" }
        let invalid = Double(upstream.filter(\.invalid).count) / Double(upstream.count)
        let late = Double(upstream.filter(\.late).count) / Double(upstream.count)
        let contacts = upstream.filter { $0.connector == "im" || $0.connector == "telephony" }
        let strangers = Double(contacts.filter(\.stranger).count) / Double(contacts.count)
        #expect(abs(invalid - settings.invalidShare) < 0.012, "invalid share \(invalid)")
        #expect(abs(late - settings.lateShare) < 0.02, "late share \(late)")
        #expect(abs(strangers - settings.strangerShare) < 0.03, "stranger share \(strangers)")
        // `late` means what the latency tracker will see: source time beyond the 90 s SLO.
        for (record, now) in generated { #expect(record.late == (now - record.sourceMs > DemoTraffic.sloMs)) }
        // Complaints are a minority of tickets; some calls and chats are with strangers on both systems.
        let tickets = records.filter { $0.connector == "tickets" }
        let complaints = tickets.filter { $0.shape == "ticket_complaint" }.count
        #expect(complaints > 0 && complaints < tickets.count / 3)
        for shape in ["wecom_message", "dingtalk_message", "asterisk_cdr", "twilio_callback"] {
            #expect(records.contains { $0.shape == shape && $0.stranger }, "no stranger in \(shape)")
        }
        // Same seed, same traffic.
        let again = Self.generate(500, settings: settings).records.map(\.0.text)
        #expect(again == Array(records.prefix(500).map(\.text)))
    }

    @Test("the opening backfills a stranger chat spanning more than 5 minutes, so an unlinked_conversation alert comes early")
    func strangerBackfill() {
        let (_, generated) = Self.generate(800)
        let backfill = generated.map(\.0).filter { $0.connector == "im" && $0.stranger }
        let byKey = Dictionary(grouping: backfill, by: \.key)
        let longest = byKey.values.map { messages in (messages.map(\.sourceMs).max() ?? 0) - (messages.map(\.sourceMs).min() ?? 0) }.max() ?? 0
        #expect(longest > 300_000, "longest stranger conversation spans \(longest) ms")
    }

    @Test("valid records map through the shipped declarative connectors (marketing, tickets, erp, finance); invalid ones are rejected")
    func realismAgainstShippedConnectors() throws {
        let root = Self.repositoryRoot
        let catalog = try TopicCatalog.load(directory: root.appendingPathComponent("topics"))
        var pipelines: [String: RecordPipeline] = [:]
        // im and telephony decode in processors that run inside the connector runtime (conversations,
        // call state); their records are exercised end to end by StatusPageBrowserTests.
        for spec in try ConnectorSpecParser.loadAll(directory: root.appendingPathComponent("connectors"))
        where ["marketing", "tickets", "erp", "finance"].contains(spec.name) {
            pipelines[spec.name] = try PipelineBuilder.build(spec, catalog: catalog)
        }
        #expect(pipelines["marketing"] != nil && pipelines["tickets"] != nil && pipelines["erp"] != nil)
        var checked: [String: Int] = [:]
        for (offset, (record, _)) in Self.generate(4_000).records.enumerated() {
            guard let pipeline = pipelines[record.connector] else { continue }
            let input = InputRecord(
                topic: record.topic, partition: 0, offset: Int64(offset), key: Array(record.key.utf8), value: record.value,
                headers: record.headers, timestampMs: record.sourceMs)
            let meantInvalid = record.invalid
            switch pipeline.run(input) {
            case .success(let context):
                #expect(!meantInvalid, "\(record.shape) meant to be invalid was accepted: \(record.text)")
                if let source = context.sourceTimeMs { #expect(abs(source - record.sourceMs) < 1_000, "\(record.shape) source time") }
            case .failure(let rejection):
                #expect(meantInvalid, "\(record.shape) rejected (\(rejection.code) \(rejection.field ?? "") \(rejection.message)): \(record.text)")
            }
            checked[record.shape, default: 0] += 1
        }
        for shape in ["form_lead", "ticket", "ticket_complaint", "erp_order", "paypal_capture", "bank_receipt", "finance_receipt"] {
            #expect((checked[shape] ?? 0) > 10, "too few \(shape) records checked")
        }
    }
}
