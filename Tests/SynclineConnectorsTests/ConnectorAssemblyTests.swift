import Foundation
import SynclineConnectors
import SynclineKafka
import SynclineMapping
import Testing

/// Issue 19: one `ConnectorAssembly` builds every connector; the stages after the routes are
/// declared in the connector file (`after_routes:`), no longer chosen by matching topic names. For
/// every shipped connector the assembly must build what the hub built before.
@Suite("ConnectorAssembly: what every shipped connector runs, as before")
struct ConnectorAssemblyTests {
    static let shipped = ["assignment", "erp", "finance", "im", "marketing", "telephony", "tickets"]

    /// The old choice (`FollowUpStage.applies(to:)`, `ComplaintAlertStage.applies(to:)`): for a
    /// connector without a processor, the follow-up stage when a route wrote leads or activities,
    /// the complaint stage when one wrote customer updates.
    static func oldAppended(_ spec: ConnectorSpec) -> [String] {
        guard spec.processor == nil else { return [] }
        var names: [String] = []
        if spec.routes.contains(where: { $0.topic == TopicNames.leads || $0.topic == TopicNames.activities }) { names.append("follow-up") }
        if spec.routes.contains(where: { $0.topic == TopicNames.customerUpdates }) { names.append("complaint-alert") }
        return names
    }

    /// The stage names the old `ConnectorProcessors.parts(for:pipeline:)` returned for `declared`.
    static func oldStages(_ spec: ConnectorSpec, declared: RecordPipeline) -> [String] {
        let kept = spec.routes.isEmpty ? ["decode"] : declared.stages.map(\.name)
        switch spec.processor {
        case nil: return declared.stages.map(\.name) + oldAppended(spec)
        case "im"?: return kept + ["im"]
        case "telephony"?: return ["decode"] + kept.filter { $0 != "decode" } + ["telephony"]
        case "assignment"?: return kept + ["assign"]
        case let other?: Issue.record("no old stages known for processor \(other)"); return []
        }
    }

    static func assembly(_ harness: ProcessorHarness) -> ConnectorAssembly {
        ConnectorAssembly(catalog: harness.catalog, identity: harness.identity, activities: harness.store, logger: ProcessorHarness.logger)
    }

    @Test("the list above is every shipped connector file")
    func listIsComplete() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: ProcessorHarness.repositoryRoot.appendingPathComponent("connectors").path)
            .filter { $0.hasSuffix(".yaml") }.map { String($0.dropLast(5)) }.sorted()
        #expect(files == Self.shipped)
    }

    @Test("every shipped connector: the stages built are the ones the old topic matching and processor switch chose", arguments: shipped)
    func shippedStages(name: String) throws {
        let harness = try ProcessorHarness()
        let spec = try ProcessorHarness.spec(name)
        let declared = try PipelineBuilder.build(spec, catalog: harness.catalog)
        let built = try Self.assembly(harness).build(spec)
        #expect(built.pipeline.stages.map(\.name) == Self.oldStages(spec, declared: declared), "\(name)")
        let appended = Self.oldAppended(spec)
        #expect(built.pipeline.stages.contains { $0 is FollowUpStage } == appended.contains("follow-up"), "\(name)")
        #expect(built.pipeline.stages.contains { $0 is ComplaintAlertStage } == appended.contains("complaint-alert"), "\(name)")
        // Without Kafka (`syncline run`): one loop, local state, no restorer and no front loop.
        #expect(built.parts.restorer == nil && built.parts.rekey == nil && built.loops.count == 1, "\(name)")
        #expect(built.parts.emitters.count == (spec.processor == "im" ? 1 : 0), "\(name): the conversation emitter")
    }

    @Test("with Kafka (`syncline up`): im and telephony become a re-keying front loop and a stateful loop with a restorer; the others stay one loop", arguments: shipped)
    func shippedLoops(name: String) throws {
        let harness = try ProcessorHarness()
        let spec = try ProcessorHarness.spec(name)
        let built = try Self.assembly(harness).build(spec, kafka: KafkaConfig(bootstrapServers: "127.0.0.1:9"))
        let loops = built.loops
        guard spec.isStateful else {
            #expect(loops.map(\.spec.name) == [name] && built.parts.restorer == nil && built.parts.rekey == nil, "\(name)")
            return
        }
        #expect(loops.map(\.spec.name) == ["\(name)-rekey", name])
        #expect(loops[0].spec.inputTopics == spec.inputTopics && loops[0].spec.routes.isEmpty && !loops[0].spec.observesLatency)
        #expect(loops[0].parts.pipeline.stages.map(\.name) == ["decode", "rekey"])
        #expect(loops[1].spec.inputTopics == [TopicNames.repartition(connector: name)] && loops[1].spec.ingress == nil)
        #expect(loops[1].parts.restorer != nil && loops[1].parts.rekey == nil)
        #expect(loops[1].parts.pipeline.stages.map(\.name) == ["decode", name == "im" ? "im" : "telephony"])
        // im emits closed conversations; telephony sweeps calls unreported for state_retention.
        #expect(loops[1].parts.emitters.count == 1)
    }

    @Test("a dry run (map, test, diff, bench-pipeline) builds exactly the declared pipeline, in the mode asked", arguments: shipped)
    func dryRunIsTheDeclaredPipeline(name: String) throws {
        let harness = try ProcessorHarness()
        let spec = try ProcessorHarness.spec(name)
        for mode in [PipelineBuilder.Mode.interpreted, .compiled] {
            let declared = try PipelineBuilder.build(spec, catalog: harness.catalog, mode: mode)
            let built = try ConnectorAssembly.dryRun(catalog: harness.catalog, pipelineMode: mode).build(spec)
            #expect(built.pipeline.stages.map(\.name) == declared.stages.map(\.name), "\(name) \(mode)")
            #expect(built.parts.emitters.isEmpty && built.parts.restorer == nil && built.loops.count == 1)
        }
        #expect(ConnectorAssembly.dryRun(catalog: harness.catalog).pipelineMode == .interpreted)
    }

    @Test("the follow-up stage reads phones in the connector's defaults.phone_region (no longer always CN)")
    func followUpRegion() throws {
        let harness = try ProcessorHarness()
        for region in ["CN", "US"] {
            var spec = try ProcessorHarness.spec("marketing")
            spec.defaults.phoneRegion = region
            let stage = try #require(try Self.assembly(harness).build(spec).pipeline.stages.compactMap { $0 as? FollowUpStage }.first)
            #expect(stage.phoneRegion == region)
        }
    }

    @Test("after_routes decides, not the topics: leads without follow_up get no stage; complaint_alert alone adds only that")
    func declaredNotMatched() throws {
        let harness = try ProcessorHarness()
        var spec = try ProcessorHarness.spec("tickets")
        spec.afterRoutes = []
        #expect(!(try Self.assembly(harness).build(spec).pipeline.stages.contains { $0 is FollowUpStage || $0 is ComplaintAlertStage }))
        spec.afterRoutes = [.complaintAlert]
        let names = try Self.assembly(harness).build(spec).pipeline.stages.map(\.name)
        #expect(names.last == "complaint-alert" && !names.contains("follow-up"))
    }

    @Test("an unknown processor stops the build with a problem naming the file and the processor field")
    func unknownProcessor() throws {
        let harness = try ProcessorHarness()
        var spec = try ProcessorHarness.spec("im")
        spec.processor = "fax"
        let error = try #require(throws: ConfigProblems.self) { try Self.assembly(harness).build(spec) }
        #expect(error.problems.map(\.field) == ["processor"] && error.problems[0].file == "im.yaml")
        #expect(error.problems[0].message.contains("unknown processor 'fax' (known: assignment, im, telephony)"))
        #expect(Self.assembly(harness).problems(spec).map(\.field) == ["processor"])
    }
}
