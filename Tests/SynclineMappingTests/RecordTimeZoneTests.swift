import Foundation
import SynclineMapping
import Testing

/// `timezone: {from: tz}`: a record that names its own zone has its local times read in that zone
/// (they were silently read in the connector's default zone, 13 h off for New York against +08:00).
@Suite("A record's own time zone field")
struct RecordTimeZoneTests {
    static let connector = TestSupport.marketing.replacingOccurrences(
        of: "submitted_at: occurred_at", with: "submitted_at: {from: fields.提交时间, timezone: {from: fields.tz}}")

    static func submittedAt(_ fields: String, mode: PipelineBuilder.Mode) throws -> Result<String, Rejection> {
        let pipeline = try PipelineBuilder.build(try TestSupport.spec(connector), catalog: try TestSupport.catalog(), mode: mode)
        let value = #"{"event_id":"e1","event_type":"form_submit","occurred_at":1714564800000,"fields":{"手机":"13800138000",\#(fields)}}"#
        let input = InputRecord(topic: "raw.marketing.events.v1", partition: 0, offset: 0, key: nil, value: Array(value.utf8))
        return pipeline.run(input).map { context in
            let document = try? JSONParser.parse(context.outputs[0].value ?? [])
            return document?["submitted_at"]?.stringValue ?? "-"
        }
    }

    @Test("IANA names (with daylight saving) and offsets from the record; without the field the connector's default zone; an unknown zone is invalid_timestamp", arguments: [PipelineBuilder.Mode.interpreted, .compiled])
    func zones(mode: PipelineBuilder.Mode) throws {
        // 9:30 on 1 July in New York is EDT (UTC−4); in January EST (UTC−5).
        #expect(try Self.submittedAt(#""提交时间":"2024-07-01 09:30:00","tz":"America/New_York""#, mode: mode).get() == "2024-07-01T13:30:00.000Z")
        #expect(try Self.submittedAt(#""提交时间":"2024-01-15 09:30:00","tz":"America/New_York""#, mode: mode).get() == "2024-01-15T14:30:00.000Z")
        #expect(try Self.submittedAt(#""提交时间":"2024-07-01 09:30:00","tz":"-03:00""#, mode: mode).get() == "2024-07-01T12:30:00.000Z")
        // No zone field: the connector's default (+08:00). An explicit offset in the value wins.
        #expect(try Self.submittedAt(#""提交时间":"2024-07-01 09:30:00""#, mode: mode).get() == "2024-07-01T01:30:00.000Z")
        #expect(try Self.submittedAt(#""提交时间":"2024-07-01T09:30:00Z","tz":"America/New_York""#, mode: mode).get() == "2024-07-01T09:30:00.000Z")
        guard case .failure(let rejection) = try Self.submittedAt(#""提交时间":"2024-07-01 09:30:00","tz":"Mars/Olympus""#, mode: mode) else {
            Issue.record("an unknown zone must be rejected")
            return
        }
        #expect(rejection.code == "invalid_timestamp" && rejection.field == "submitted_at")
        #expect(rejection.message.contains("Mars/Olympus"))
    }

    @Test("the parser takes {from, default} and refuses a bad path or zone")
    func parsing() throws {
        let rule = try #require(try TestSupport.spec(Self.connector).routes[0].fields.first { $0.target == "submitted_at" })
        #expect(rule.timezoneFrom?.text == "fields.tz")
        let withDefault = Self.connector.replacingOccurrences(of: "{from: fields.tz}", with: "{from: fields.tz, default: Asia/Tokyo}")
        #expect(try TestSupport.spec(withDefault).routes[0].fields.first { $0.target == "submitted_at" }?.timezone == "Asia/Tokyo")
        #expect(throws: ConfigProblems.self) { try TestSupport.spec(Self.connector.replacingOccurrences(of: "{from: fields.tz}", with: "{from: fields.tz, default: Nowhere/City}")) }
        #expect(throws: ConfigProblems.self) { try TestSupport.spec(Self.connector.replacingOccurrences(of: "{from: fields.tz}", with: "{fro: fields.tz}")) }
    }
}
