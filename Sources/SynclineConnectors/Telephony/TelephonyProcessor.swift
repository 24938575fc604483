public import SynclineMapping

/// `processor: telephony` — call reports folded into one activity per call: `CallPayloadDecodeStage`
/// (JSON or form by content) in place of the declared decode stage, then `CallStage`. Given Kafka, a
/// front loop re-keys the raw input by call into `hub.repartition.<connector>.v1`,
/// `ChangelogRestorer` restores a partition's calls from `hub.state.<connector>.v1`, and
/// `CallStateSweeper` forgets calls unreported for `state_retention`.
public struct TelephonyProcessor: ConnectorProcessor {
    public let name = "telephony"
    public let keepsPartitionState = true
    public var options: [ProcessorOption] { TelephonySettings.options }

    public init() {}

    public func outputTopics(connector: String) -> [String] {
        [TopicNames.repartition(connector: connector), TopicNames.state(connector: connector), TopicNames.alerts]
    }

    public func problems(_ spec: ConnectorSpec) -> [ConfigProblem] {
        do throws(ConfigProblems) {
            _ = try TelephonySettings(spec: spec)
            return []
        } catch {
            return error.problems
        }
    }

    public func parts(for spec: ConnectorSpec, declared: RecordPipeline, context: ProcessorContext) throws(ConfigProblems) -> ProcessorParts {
        let settings = try TelephonySettings(spec: spec)
        var stages = declaredStages(spec, declared).filter { !($0 is DecodeStage) }
        stages.insert(CallPayloadDecodeStage(spec: spec), at: 0)
        let decode = stages
        stages.append(CallStage(
            settings: settings, store: context.activities, linker: context.linker, connector: spec.name,
            mappingVersion: spec.mappingVersion, catalog: context.catalog, changelog: context.changelog, logger: context.logger))
        var parts = ProcessorParts(pipeline: RecordPipeline(stages: stages))
        if let kafka = context.kafka, let changelog = context.changelog {
            let parser = CallEventParser(settings: settings, connector: spec.name)
            parts.restorer = ChangelogRestorer(
                topic: changelog, kafka: kafka, cache: CallStateCache(store: context.activities), logger: context.logger)
            parts.emitters = [CallStateSweeper(
                store: context.activities, changelog: changelog, retentionMs: settings.stateRetentionMs, logger: context.logger)]
            parts.statefulInput = TopicNames.repartition(connector: spec.name)
            parts.rekey = RecordPipeline(stages: decode + [
                RekeyStage(topic: TopicNames.repartition(connector: spec.name)) { record throws(Rejection) in
                    guard let document = record.document else { return nil }
                    let event = try parser.parse(document)
                    return ("\(event.sourceSystem):\(event.callID)", nil)
                },
            ])
        }
        return parts
    }
}
