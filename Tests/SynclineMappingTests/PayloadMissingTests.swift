import Foundation
import SynclineMapping
import Testing

/// Empty (0-byte) and null (tombstone) values are never skipped: through every kind of pipeline they
/// become `payload_missing` at `decode`, and the DLQ record keeps the original key and headers —
/// unless a plain-route connector declares `input.tombstones: forward`.
@Suite("payload_missing: empty and null values through every pipeline")
struct PayloadMissingTests {
    static let headers = [RecordHeader("traceparent", "00-abc-def-01"), RecordHeader("x-upstream", "crm-7")]

    static func record(_ value: [UInt8]?, topic: String = "raw.marketing.events.v1") -> InputRecord {
        InputRecord(topic: topic, partition: 2, offset: 41, key: Array("key-7".utf8), value: value, headers: headers)
    }

    static let plain = """
        name: relay
        input: {topics: [raw.telephony.calls.v1], format: form}
        routes:
          - {name: all, topic: hub.audit.v1}
        """

    static func decoded(_ format: String) -> String {
        """
        name: decoded-\(format)
        input:
          topics: [raw.marketing.events.v1]
          format: \(format)
        \(format == "csv" ? "  csv: {columns: [lead_id, source]}" : "")
        routes:
          - name: leads
            topic: crm.leads.v1
            key: lead_id
            fields:
              lead_id: lead_id
              source: {from: source, default: web}
              submitted_at: {from: at, default: "2024-05-01T00:00:00Z"}
        """
    }

    /// The pipeline rejects the record with payload_missing at decode, and its DLQ record is the
    /// original key, value and headers plus the error headers.
    func expectPayloadMissing(_ pipeline: RecordPipeline, _ value: [UInt8]?, topic: String = "raw.marketing.events.v1", _ label: String) {
        let input = Self.record(value, topic: topic)
        switch pipeline.run(input) {
        case .success(let context):
            Issue.record("\(label): \(value == nil ? "null" : "empty") value accepted with \(context.outputs.count) output(s)")
        case .failure(let rejection):
            #expect(rejection.stage == .decode, "\(label)")
            #expect(rejection.code == ErrorCode.payloadMissing.rawValue, "\(label): \(rejection)")
            #expect(rejection.message.contains(value == nil ? "no value" : "empty"), "\(label): \(rejection.message)")
            let dead = DeadLetter.record(
                for: input, rejection: rejection, connector: "c", mappingVersion: "v", dlqTopic: "hub.dlq.c.v1", attempts: 1,
                firstFailedAtMs: 0)
            #expect(dead.key == Array("key-7".utf8), "\(label)")
            #expect(dead.value == value, "\(label)")
            #expect(Array(dead.headers.prefix(2)) == Self.headers, "\(label)")
            #expect(dead.headers.last(named: HeaderNames.errorCode)?.text == "payload_missing", "\(label)")
            #expect(dead.headers.last(named: HeaderNames.errorStage)?.text == "decode", "\(label)")
        }
    }

    @Test("decoded connectors of every format: empty and null values are payload_missing", arguments: ["json", "xml", "form", "csv"])
    func decodedFormats(_ format: String) throws {
        let pipeline = try PipelineBuilder.build(try TestSupport.spec(Self.decoded(format)), catalog: try TestSupport.catalog())
        expectPayloadMissing(pipeline, [], "\(format) connector")
        expectPayloadMissing(pipeline, nil, "\(format) connector")
    }

    @Test("plain-route connectors: empty and null values are payload_missing, not passed on")
    func plainRoutes() throws {
        let pipeline = try PipelineBuilder.build(try TestSupport.spec(Self.plain), catalog: try TestSupport.catalog())
        expectPayloadMissing(pipeline, [], topic: "raw.telephony.calls.v1", "plain route")
        expectPayloadMissing(pipeline, nil, topic: "raw.telephony.calls.v1", "plain route")
        // Without a catalog (syncline run without topics) the rule is the same.
        let bare = try PipelineBuilder.build(try TestSupport.spec(Self.plain), catalog: nil)
        expectPayloadMissing(bare, nil, topic: "raw.telephony.calls.v1", "plain route, no catalog")
        // One byte is a payload.
        let context = try pipeline.run(Self.record([0x20], topic: "raw.telephony.calls.v1")).get()
        #expect(context.outputs.first?.value == [0x20])
    }

    @Test("the shipped connectors (marketing, tickets, erp, and the decode stages of im and telephony)")
    func shippedConnectors() throws {
        let root = ShippedSample.repositoryRoot
        let catalog = try TopicCatalog.load(directory: root.appendingPathComponent("topics"))
        for name in ["marketing", "tickets", "erp"] {
            let spec = try ConnectorSpecParser.load(file: root.appendingPathComponent("connectors/\(name).yaml"))
            let pipeline = try PipelineBuilder.build(spec, catalog: catalog)
            expectPayloadMissing(pipeline, [], topic: spec.inputTopics[0], name)
            expectPayloadMissing(pipeline, nil, topic: spec.inputTopics[0], name)
        }
        for name in ["im", "telephony"] {
            let spec = try ConnectorSpecParser.load(file: root.appendingPathComponent("connectors/\(name).yaml"))
            let pipeline = RecordPipeline(stages: [DecodeStage(spec: spec)])
            expectPayloadMissing(pipeline, [], topic: spec.inputTopics[0], name)
            expectPayloadMissing(pipeline, nil, topic: spec.inputTopics[0], name)
        }
    }

    @Test("input.tombstones: forward passes a null value on to a plain route's topic with its key and headers; an empty value still goes to the DLQ")
    func forwardedTombstones() throws {
        let spec = try TestSupport.spec(Self.plain.replacingOccurrences(of: "format: form}", with: "format: form, tombstones: forward}"))
        #expect(spec.tombstones == .forward)
        let pipeline = try PipelineBuilder.build(spec, catalog: try TestSupport.catalog())
        let context = try pipeline.run(Self.record(nil, topic: "raw.telephony.calls.v1")).get()
        #expect(context.outputs.count == 1)
        #expect(context.outputs.first?.topic == "hub.audit.v1")
        #expect(context.outputs.first?.value == nil)
        #expect(context.outputs.first?.key == Array("key-7".utf8))
        #expect(context.outputs.first?.headers == Self.headers)
        expectPayloadMissing(pipeline, [], topic: "raw.telephony.calls.v1", "forwarding plain route")
        #expect(try TestSupport.spec(Self.plain).tombstones == .dlq, "dlq is the default")
    }

    @Test("tombstones: forward is refused on a mapped connector or a processor, and an unknown rule is refused; the linter reports both")
    func forwardNeedsPlainRoutes() throws {
        let mapped = Self.decoded("json").replacingOccurrences(of: "format: json", with: "format: json\n  tombstones: forward")
        let problems = ConnectorLinter.lint(text: mapped, file: "connectors/m.yaml", catalog: try TestSupport.catalog(), samples: nil)
        #expect(problems.contains { $0.field == "input.tombstones" && $0.message.contains("plain routes only") }, "\(problems)")
        #expect(throws: ConfigProblems.self) { try TestSupport.spec(mapped) }

        let processor = """
            name: calls
            input: {topics: [raw.telephony.calls.v1], tombstones: forward}
            processor: telephony
            """
        #expect(throws: ConfigProblems.self) { try TestSupport.spec(processor) }

        let unknown = Self.plain.replacingOccurrences(of: "format: form}", with: "format: form, tombstones: skip}")
        let unknownProblems = ConnectorLinter.lint(text: unknown, file: "connectors/r.yaml", catalog: try TestSupport.catalog(), samples: nil)
        #expect(unknownProblems.contains { $0.message.contains("unknown tombstones rule 'skip'") }, "\(unknownProblems)")
    }
}
