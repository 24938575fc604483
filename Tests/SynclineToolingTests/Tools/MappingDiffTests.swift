import Foundation
import SynclineMapping
import SynclineTooling
import Testing

/// `MappingDiff` on the shipped marketing connector: a deliberately broken rule shows as exactly
/// the field it breaks and the records it newly rejects; an unchanged mapping shows nothing.
@Suite("Mapping diff (syncline diff's comparison)")
struct MappingDiffTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static let levels = ["高", "中", "低", "很低"]

    static func shipped() throws -> (ConnectorSpec, TopicCatalog, String) {
        let file = root.appendingPathComponent("connectors/marketing.yaml")
        let text = try String(contentsOf: file, encoding: .utf8)
        return (try ConnectorSpecParser.parse(text, file: file.path), try TopicCatalog.load(directory: root.appendingPathComponent("topics")), text)
    }

    /// Valid form leads cycling through the four levels, with an email on every third.
    static func inputs(_ count: Int) -> [SandboxInput] {
        (0..<count).map { index in
            let email = index % 3 == 0 ? #","邮箱":"lead\#(index)@example.com""# : ""
            let json = #"{"event_id":"ev-\#(index)","event_type":"form_submit","occurred_at":"2026-12-01T08:00:00+08:00","fields":{"姓名":"张三","手机":"138 0013 \#(String(format: "%04d", index))","客户_等级_v2":"\#(levels[index % 4])"\#(email)},"utm":{"source":"baidu"}}"#
            return SandboxInput(InputRecord(topic: TopicNames.rawMarketing, partition: Int32(index % 3), offset: Int64(index), key: nil, value: Array(json.utf8)))
        }
    }

    @Test("a broken customer_level map: only crm.leads.v1.customer_level changes (低 → B) and the 很低 leads are newly rejected")
    func brokenRule() throws {
        let (spec, catalog, text) = try Self.shipped()
        let brokenText = text.replacingOccurrences(of: "map: {高: A, 中: B, 低: C, 很低: D}", with: "map: {高: A, 中: B, 低: B}")
        #expect(brokenText != text, "the shipped connector still has the map this test breaks")
        var broken = try ConnectorSpecParser.parse(brokenText, file: "broken.yaml")
        broken.mappingVersion = "broken"
        let report = MappingDiff.run(
            old: try PipelineBuilder.build(spec, catalog: catalog, mode: .interpreted),
            new: try PipelineBuilder.build(broken, catalog: catalog, mode: .interpreted),
            inputs: Self.inputs(200), oldVersion: spec.mappingVersion, newVersion: "broken")
        #expect(report.records == 200)
        #expect(report.oldRejected == 0)
        #expect(report.fieldChanges.map(\.field) == ["crm.leads.v1.customer_level"])
        #expect(report.fieldChanges.first?.changed == 50)
        #expect(report.fieldChanges.first?.compared == 150)
        #expect(report.fieldChanges.first?.examples.first.map { [$0.old, $0.new] } == [#""C""#, #""B""#])
        #expect(report.newRejections.count == 50)
        #expect(Set(report.newRejections.map(\.field)) == ["customer_level"])
        #expect(report.newRejectionCounts.count == 1)
        #expect(report.resolvedRejections.isEmpty && report.changedRejections.isEmpty)
        #expect(report.fillRates.isEmpty, "\(report.fillRates)")
        #expect(report.disappearedFields.isEmpty)
        let lines = report.lines(mask: { $0 })
        #expect(lines.contains("new rejections (delivered before, DLQ now): 50"))
        #expect(lines.contains("  crm.leads.v1.customer_level: 50 of 150"))
    }

    @Test("dropping a rule: the field disappears, its fill rate falls to 0 %, nothing is rejected")
    func droppedField() throws {
        let (spec, catalog, text) = try Self.shipped()
        let without = text.replacingOccurrences(of: "      city: [fields.所在城市, fields.城市, fields.city]\n", with: "")
        #expect(without != text)
        let inputs = Self.inputs(40).map { input -> SandboxInput in
            var copy = input
            copy.record.value = Array(String(decoding: input.record.value ?? [], as: UTF8.self).replacingOccurrences(of: #""姓名""#, with: #""城市":"上海","姓名""#).utf8)
            return copy
        }
        let report = MappingDiff.run(
            old: try PipelineBuilder.build(spec, catalog: catalog, mode: .interpreted),
            new: try PipelineBuilder.build(try ConnectorSpecParser.parse(without, file: "new.yaml"), catalog: catalog, mode: .interpreted),
            inputs: inputs, oldVersion: "a", newVersion: "b")
        #expect(report.disappearedFields == ["crm.leads.v1.city"])
        #expect(report.fillRates.map(\.field) == ["crm.leads.v1.city"])
        #expect(report.fillRates.first.map { [$0.oldRate, $0.newRate] } == [1, 0])
        #expect(report.newRejections.isEmpty)
        // `extra` now keeps the form's own 城市 (no rule reads it any more): a change to extra, which is right.
        #expect(report.fieldChanges.map(\.field).sorted() == ["crm.leads.v1.city", "crm.leads.v1.extra"])
    }

    @Test("the same mapping on both sides reports nothing, including over the invalid samples")
    func unchanged() throws {
        let (spec, catalog, _) = try Self.shipped()
        let pipeline = try PipelineBuilder.build(spec, catalog: catalog, mode: .interpreted)
        let samples = SandboxSamples.load(directory: Self.root.appendingPathComponent("connectors/samples/marketing"), topic: TopicNames.rawMarketing)
        #expect(samples.count >= 14)
        let report = MappingDiff.run(old: pipeline, new: pipeline, inputs: samples + Self.inputs(20), oldVersion: "x", newVersion: "x")
        #expect(report.isUnchanged)
        #expect(report.oldRejected == report.newRejected && report.oldRejected >= 8)
    }
}
