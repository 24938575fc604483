public import SynclineMapping

/// `processor: im` — chat messages grouped into conversations: the declared decode stage, then
/// `ChatAbsorbStage`; `ConversationEmitter` emits each closed conversation as one activity. Given
/// Kafka, a front loop re-keys the raw input by thread into `hub.repartition.<connector>.v1` and
/// `ChangelogRestorer` restores a partition's conversations from `hub.state.<connector>.v1`.
public struct IMProcessor: ConnectorProcessor {
    public let name = "im"
    public let keepsPartitionState = true
    public var options: [ProcessorOption] { IMSettings.options }

    public init() {}

    public func outputTopics(connector: String) -> [String] {
        [TopicNames.repartition(connector: connector), TopicNames.state(connector: connector), TopicNames.alerts]
    }

    public func problems(_ spec: ConnectorSpec) -> [ConfigProblem] {
        do throws(ConfigProblems) {
            _ = try IMSettings(spec: spec)
            return []
        } catch {
            return error.problems
        }
    }

    public func parts(for spec: ConnectorSpec, declared: RecordPipeline, context: ProcessorContext) throws(ConfigProblems) -> ProcessorParts {
        let settings = try IMSettings(spec: spec)
        let stages: [any RecordStage] = declaredStages(spec, declared) + [
            ChatAbsorbStage(settings: settings, store: context.activities, linker: context.linker, connector: spec.name, changelog: context.changelog),
        ]
        let emitter = ConversationEmitter(
            settings: settings, store: context.activities, linker: context.linker,
            records: ChatRecords(connector: spec.name, mappingVersion: spec.mappingVersion, catalog: context.catalog),
            connector: spec.name, changelog: context.changelog, logger: context.logger)
        var parts = ProcessorParts(pipeline: RecordPipeline(stages: stages), emitters: [emitter])
        if let kafka = context.kafka, let changelog = context.changelog {
            let parser = ChatMessageParser(settings: settings, connector: spec.name)
            parts.restorer = ChangelogRestorer(
                topic: changelog, kafka: kafka, cache: ChatStateCache(store: context.activities), logger: context.logger)
            parts.statefulInput = TopicNames.repartition(connector: spec.name)
            parts.rekey = RecordPipeline(stages: declaredStages(spec, declared) + [
                RekeyStage(topic: TopicNames.repartition(connector: spec.name)) { record throws(Rejection) in
                    guard let document = record.document else { return nil }
                    let headerID = record.input.headers.last(named: HeaderNames.ceID)?.text
                    return try parser.parse(document, headerEventID: headerID).map { ($0.threadKey, $0.messageID) }
                },
            ])
        }
        return parts
    }
}
