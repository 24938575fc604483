public import Logging
public import SynclineKafka
public import SynclineMapping
public import SynclineStore

/// The one way a connector file becomes what runs, used by `syncline up` (`buildApplication`),
/// `run`, `map`, `test`, `diff` and the benchmarks — as Hummingbird's template builds its
/// application in one function so that tests run what the executable runs. Given a `ConnectorSpec`:
/// - the declared pipeline (`PipelineBuilder`: compiled where the routes allow, or interpreted);
/// - without a `processor:`, the stages its file lists under `after_routes:` (`FollowUpStage`,
///   `ComplaintAlertStage`);
/// - with one, what that processor of `ProcessorRegistry` adds: stages, timed emitters and — given
///   Kafka — the state restorer and the re-keying front loop (`AssembledConnector.loops`).
///
/// A dry run (`dryRun`: map, test, diff, bench-pipeline) builds the declared pipeline only: no
/// processor, no stage after the routes, no store, no Kafka — so it writes no state and its
/// outputs depend on the record alone.
public struct ConnectorAssembly: Sendable {
    public let catalog: TopicCatalog?
    public let pipelineMode: PipelineBuilder.Mode
    let stores: Stores?

    /// What processors and the stages after the routes keep state in (absent in a dry run).
    struct Stores: Sendable {
        let identity: IdentityIndex
        let activities: ActivityStore
        let logger: Logger
        let counters: (any CounterSink)?
        /// One recorder for every connector's leads and tickets (written off the hot path).
        let followUps: FollowUpRecorder
    }

    /// The assembly of running connectors (`up`, `run`, bench-state): processors link through
    /// `identity` and keep state in `activities`, and count into `counters` (the hub's metrics).
    public init(
        catalog: TopicCatalog?, identity: IdentityIndex, activities: ActivityStore, logger: Logger,
        counters: (any CounterSink)? = nil, pipelineMode: PipelineBuilder.Mode = .compiled
    ) {
        self.catalog = catalog
        self.pipelineMode = pipelineMode
        stores = Stores(
            identity: identity, activities: activities, logger: logger, counters: counters,
            followUps: FollowUpRecorder(store: activities, index: identity, logger: logger))
    }

    init(catalog: TopicCatalog?, pipelineMode: PipelineBuilder.Mode) {
        self.catalog = catalog
        self.pipelineMode = pipelineMode
        stores = nil
    }

    /// The declared pipeline alone (`syncline map`, `test`, `diff`, bench-pipeline): the interpreter
    /// unless `pipelineMode` says otherwise.
    public static func dryRun(catalog: TopicCatalog?, pipelineMode: PipelineBuilder.Mode = .interpreted) -> ConnectorAssembly {
        ConnectorAssembly(catalog: catalog, pipelineMode: pipelineMode)
    }

    /// Every error that stops the connector from being built — its declaration against the catalog,
    /// its processor's name and options — without opening anything (checked before a hub starts).
    public func problems(_ spec: ConnectorSpec) -> [ConfigProblem] {
        var problems: [ConfigProblem] = []
        do throws(ConfigProblems) {
            _ = try PipelineBuilder.build(spec, catalog: catalog, mode: pipelineMode)
        } catch {
            problems += error.problems
        }
        problems += ProcessorRegistry.problems(spec).filter { $0.severity == .error }
        return problems
    }

    /// The connector as it runs. With `kafka` (the hub), a processor whose state follows its
    /// partitions keeps it in `hub.state.<connector>.v1` and re-keys its input first; without, its
    /// state is local (`syncline run`).
    public func build(_ spec: ConnectorSpec, kafka: KafkaConfig? = nil) throws(ConfigProblems) -> AssembledConnector {
        let declared = try PipelineBuilder.build(spec, catalog: catalog, mode: pipelineMode)
        guard let stores else { return AssembledConnector(spec: spec, parts: ProcessorParts(pipeline: declared)) }
        guard let processor = try ProcessorRegistry.resolve(spec) else {
            return AssembledConnector(spec: spec, parts: ProcessorParts(pipeline: afterRoutes(spec, declared, stores)))
        }
        let context = ProcessorContext(
            spec: spec, identity: stores.identity, activities: stores.activities, catalog: catalog, logger: stores.logger,
            counters: stores.counters, kafka: kafka)
        return AssembledConnector(spec: spec, parts: try processor.parts(for: spec, declared: declared, context: context))
    }

    /// The declared pipeline followed by the stages the file lists under `after_routes:`.
    func afterRoutes(_ spec: ConnectorSpec, _ declared: RecordPipeline, _ stores: Stores) -> RecordPipeline {
        guard !spec.afterRoutes.isEmpty else { return declared }
        var stages = declared.stages
        for stage in spec.afterRoutes {
            switch stage {
            case .followUp: stages.append(FollowUpStage(recorder: stores.followUps, phoneRegion: spec.defaults.phoneRegion))
            case .complaintAlert: stages.append(ComplaintAlertStage(connector: spec.name))
            }
        }
        return RecordPipeline(stages: stages)
    }
}
