import Foundation
import SynclineDemo
import SynclineMapping
import Testing

/// The demo writes its JSON with the project's `JSONWriter`: every well-formed record parses, and
/// each document's members come in the order the upstream system writes them (as in
/// `connectors/samples/`), so a record on a raw topic reads like the real thing.
@Suite("Demo records: JSON written by the project's writer")
struct DemoRecordJSONTests {
    /// The first member each JSON shape's document starts with.
    static let firstKeys = [
        "customer_change": "customer_id", "form_lead": "event_id", "ticket": "event_id", "ticket_complaint": "event_id",
        "erp_order": "doc_id", "paypal_capture": "id", "bank_receipt": "callback_id", "wecom_message": "msgid",
        "dingtalk_message": "msgId", "asterisk_cdr": "uniqueid", "finance_receipt": "entry_id",
    ]

    @Test("valid JSON records parse as objects and start with their shape's first member")
    func parsesInOrder() throws {
        let start: Int64 = 1_714_557_600_000
        var traffic = DemoTraffic(nowMs: start)
        var records = traffic.opening(nowMs: start)
        for step in 1...3_000 { records.append(traffic.next(nowMs: start + Int64(step) * 25)) }
        var seen: Set<String> = []
        for record in records where !record.invalid && record.shape != "twilio_callback" {
            let document = try JSONParser.parse(record.value)
            #expect(document.objectValue != nil, "\(record.shape): \(record.text)")
            let first = try #require(Self.firstKeys[record.shape], "no first member listed for \(record.shape)")
            #expect(record.text.hasPrefix("{\"\(first)\":"), "\(record.shape): \(record.text)")
            seen.insert(record.shape)
        }
        #expect(seen == Set(Self.firstKeys.keys), "shapes checked: \(seen.sorted())")
    }
}
