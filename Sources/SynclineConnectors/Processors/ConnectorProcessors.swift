public import Logging
public import SynclineMapping
public import SynclineKafka
public import SynclineStore

/// The registry of code-level processors a connector file may name (`processor: im`,
/// `processor: telephony`). Given the declared pipeline it returns what the connector runs:
/// - `im`: the declared decode stage, then `ChatAbsorbStage`; `ConversationEmitter` emits.
/// - `telephony`: `CallPayloadDecodeStage` (JSON or form by content) in place of the declared
///   decode stage, then `CallStage`.
/// - `assignment`: the declared decode stage, then `AssignmentStage` (lead → crm.lead_assignments.v1).
/// - no processor: the declared pipeline, plus `FollowUpStage` when it writes leads or activities
///   and `ComplaintAlertStage` when it writes crm.customer_updates.v1 (complaint alerts).
///
/// Given `kafka` (the hub), `im` and `telephony` keep their state in Kafka: a front loop re-keys
/// the raw input into `hub.repartition.<connector>.v1` by thread / call, the stateful pipeline
/// reads that topic and writes each state change to `hub.state.<connector>.v1`, and a
/// `ChangelogRestorer` restores a partition's state when it is assigned.
public struct ConnectorProcessors: Sendable {
    public let identity: IdentityIndex
    public let activities: ActivityStore
    public let catalog: TopicCatalog?
    let logger: Logger
    /// One recorder for every connector's leads and tickets (written off the hot path).
    let followUps: FollowUpRecorder

    /// Where processors count what only they know (the hub's metrics).
    let counters: (any CounterSink)?

    public static let names: Set<String> = ["im", "telephony", "assignment"]

    public init(identity: IdentityIndex, activities: ActivityStore, catalog: TopicCatalog?, logger: Logger, counters: (any CounterSink)? = nil) {
        self.identity = identity
        self.activities = activities
        self.catalog = catalog
        self.logger = logger
        self.counters = counters
        followUps = FollowUpRecorder(
            store: activities, linker: CustomerLinker(index: identity, phoneRegion: "CN", logger: logger), logger: logger)
    }

    public func parts(for spec: ConnectorSpec, pipeline: RecordPipeline, kafka: KafkaConfig? = nil) throws(ConfigProblems) -> ProcessorParts {
        let changelog = kafka.map { _ in TopicNames.state(connector: spec.name) }
        let linker = CustomerLinker(index: identity, phoneRegion: spec.defaults.phoneRegion, logger: logger)
        var logger = logger
        logger[metadataKey: "connector"] = "\(spec.name)"
        switch spec.processor {
        case nil:
            var stages = pipeline.stages
            if FollowUpStage.applies(to: spec) { stages.append(FollowUpStage(recorder: followUps)) }
            if ComplaintAlertStage.applies(to: spec) { stages.append(ComplaintAlertStage(connector: spec.name)) }
            return ProcessorParts(pipeline: stages.count == pipeline.stages.count ? pipeline : RecordPipeline(stages: stages))
        case "im"?:
            let settings = try IMSettings(spec: spec)
            let stages: [any RecordStage] = declaredStages(spec, pipeline) + [
                ChatAbsorbStage(settings: settings, store: activities, linker: linker, connector: spec.name, changelog: changelog),
            ]
            let emitter = ConversationEmitter(
                settings: settings, store: activities, linker: linker,
                records: ChatRecords(connector: spec.name, mappingVersion: spec.mappingVersion, catalog: catalog),
                connector: spec.name, changelog: changelog, logger: logger)
            var parts = ProcessorParts(pipeline: RecordPipeline(stages: stages), emitters: [emitter])
            if let kafka, let changelog {
                let parser = ChatMessageParser(settings: settings, connector: spec.name)
                parts.restorer = ChangelogRestorer(topic: changelog, kafka: kafka, cache: ChatStateCache(store: activities), logger: logger)
                parts.statefulInput = TopicNames.repartition(connector: spec.name)
                parts.rekey = RecordPipeline(stages: declaredStages(spec, pipeline) + [
                    RekeyStage(topic: TopicNames.repartition(connector: spec.name)) { context throws(Rejection) in
                        guard let document = context.document else { return nil }
                        let headerID = context.input.headers.last(named: HeaderNames.ceID)?.text
                        return try parser.parse(document, headerEventID: headerID).map { ($0.threadKey, $0.messageID) }
                    },
                ])
            }
            return parts
        case "telephony"?:
            let settings = try TelephonySettings(spec: spec)
            var stages = declaredStages(spec, pipeline).filter { !($0 is DecodeStage) }
            stages.insert(CallPayloadDecodeStage(spec: spec), at: 0)
            let decode = stages
            stages.append(CallStage(
                settings: settings, store: activities, linker: linker, connector: spec.name,
                mappingVersion: spec.mappingVersion, catalog: catalog, changelog: changelog, logger: logger))
            var parts = ProcessorParts(pipeline: RecordPipeline(stages: stages))
            if let kafka, let changelog {
                let parser = CallEventParser(settings: settings, connector: spec.name)
                parts.restorer = ChangelogRestorer(topic: changelog, kafka: kafka, cache: CallStateCache(store: activities), logger: logger)
                parts.emitters = [CallStateSweeper(store: activities, changelog: changelog, retentionMs: settings.stateRetentionMs, logger: logger)]
                parts.statefulInput = TopicNames.repartition(connector: spec.name)
                parts.rekey = RecordPipeline(stages: decode + [
                    RekeyStage(topic: TopicNames.repartition(connector: spec.name)) { context throws(Rejection) in
                        guard let document = context.document else { return nil }
                        let event = try parser.parse(document)
                        return ("\(event.sourceSystem):\(event.callID)", nil)
                    },
                ])
            }
            return parts
        case "assignment"?:
            let (rules, problems) = AssignmentRulesParser.parse(spec: spec)
            let errors = problems.filter { $0.severity == .error }
            guard let rules, errors.isEmpty else { throw ConfigProblems(errors) }
            return ProcessorParts(pipeline: RecordPipeline(stages: declaredStages(spec, pipeline) + [
                AssignmentStage(rules: rules, connector: spec.name, mappingVersion: spec.mappingVersion, catalog: catalog, counters: counters),
            ]))
        case let name?:
            throw ConfigProblems([ConfigProblem(
                file: spec.file, field: "processor",
                message: "unknown processor '\(name)' (known: \(Self.names.sorted().joined(separator: ", ")))", connector: spec.name)])
        }
    }

    /// The declared stages a processor keeps: with routes, the whole declared pipeline; without,
    /// only decoding (the declaration's `input.format`, `event_id`, `source_timestamp`).
    func declaredStages(_ spec: ConnectorSpec, _ pipeline: RecordPipeline) -> [any RecordStage] {
        spec.routes.isEmpty ? [DecodeStage(spec: spec)] : pipeline.stages
    }
}
