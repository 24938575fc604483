/// A connector as declared in `connectors/<name>.yaml`: what it reads, where the event id and
/// source time live, its routes, its DLQ and SLO, and how the runtime batches and commits.
public struct ConnectorSpec: Sendable {
    public var name: String
    public var description: String
    /// Stamped on every output and DLQ record: the file's `version`, else a hash of its content.
    public var mappingVersion: String
    public var inputTopics: [String]
    public var format: PayloadFormat
    /// Dotted path of the upstream event id in the decoded payload.
    public var eventIDPath: String?
    /// Dotted path of the upstream occurrence time in the decoded payload.
    public var sourceTimestampPath: String?
    public var dlqTopic: String
    public var sloSeconds: Double
    public var routes: [RouteSpec]
    public var tuning: RuntimeTuning
    /// The file it came from and its text (recorded with the mapping version).
    public var file: String
    public var content: String
    /// Phone region and time zone used by field rules that do not set their own.
    public var defaults: MappingDefaults = MappingDefaults()
    /// Values larger than this are rejected at decode with `payload_too_large` (default 1 MiB).
    public var maxPayloadBytes: Int = 1 << 20
    /// How `csv` payloads are read.
    public var csv: CSVOptions = CSVOptions()
    /// `input.tombstones`: what a null value becomes (default: `payload_missing` in the DLQ).
    public var tombstones: TombstonePolicy = .dlq
    /// Rate limit, circuit breaker, retry back-off and delivery timeout.
    public var resilience: ResilienceSpec = ResilienceSpec()
    /// `event_id: [a, b]`: paths tried in order when the connector's shapes keep the id in different
    /// places (then `eventIDPath` is nil and the map stage reads them); empty for a single path.
    public var eventIDPaths: [String] = []
    /// `source_timestamp: [a, b]`: likewise for the occurrence time.
    public var sourceTimestampPaths: [String] = []
    /// `processor: im`: the name of the code-level processor (stateful stages and timed emitters) the
    /// hub adds after the declared stages; nil for purely declarative connectors.
    public var processor: String?
    /// `processor_options:` settings for the processor (idle gaps, thresholds …), as written.
    public var processorOptions: [String: JSONValue] = [:]
    /// `after_routes:` stages the hub runs after the declared routes (follow-ups, complaint alerts),
    /// in file order; empty for none.
    public var afterRoutes: [AfterRoutesStage] = []
    /// `ingress:` the webhook ingress settings (`POST /ingest/<name>`); nil: no webhook ingress.
    public var ingress: IngressSpec?
    /// `test_hooks:` (debug builds only): behaviour the test suite asks for, e.g. a trap on one record.
    public var testHooks: TestHooks?
    /// Whether acknowledged outputs are timed against the source (latency metrics, delayed records).
    /// Off for an internal hop (a stateful connector's re-keying loop): the loop that produces the
    /// canonical record times it end to end, once.
    public var observesLatency = true

    public init(
        name: String, description: String = "", mappingVersion: String, inputTopics: [String],
        format: PayloadFormat = .json, eventIDPath: String? = nil, sourceTimestampPath: String? = nil,
        dlqTopic: String? = nil, sloSeconds: Double = 90, routes: [RouteSpec], tuning: RuntimeTuning = RuntimeTuning(),
        file: String = "", content: String = ""
    ) {
        self.name = name
        self.description = description
        self.mappingVersion = mappingVersion
        self.inputTopics = inputTopics
        self.format = format
        self.eventIDPath = eventIDPath
        self.sourceTimestampPath = sourceTimestampPath
        self.dlqTopic = dlqTopic ?? TopicNames.dlq(connector: name)
        self.sloSeconds = sloSeconds
        self.routes = routes
        self.tuning = tuning
        self.file = file
        self.content = content
    }

    /// Every topic this connector may write to.
    /// True when some route maps fields or has a condition, so payloads must be decoded.
    public var needsDecoding: Bool { routes.contains { !$0.fields.isEmpty || $0.extra != nil || $0.when != nil } }

    public var outputTopics: [String] {
        var seen = Set<String>()
        return (routes.map(\.topic) + [dlqTopic, TopicNames.latency]).filter { seen.insert($0).inserted }
    }
}

/// One route of a connector: records it accepts go to `topic`, keyed and mapped as declared.
/// A route without field rules is a plain `route`: the record passes unchanged apart from headers.
public struct RouteSpec: Sendable {
    public var name: String
    public var topic: String
    /// The canonical field whose value keys the output; nil keeps the input's key.
    public var key: String?
    /// Only records for which this condition holds take the route; nil takes every record.
    public var when: Expression?
    /// Field rules, in file order. Empty means a plain pass-through route.
    public var fields: [FieldRule]
    /// Collects unmapped members of an object into one canonical object field.
    public var extra: ExtraFields?
    /// Cross-field checks on the canonical output (`checks:`), in file order.
    public var checks: [RouteCheck] = []
    /// Where the route is in the file (`routes[0]`), for messages.
    public var location: String

    public init(
        name: String, topic: String, key: String? = nil, when: Expression? = nil, fields: [FieldRule] = [],
        extra: ExtraFields? = nil, location: String = ""
    ) {
        self.name = name
        self.topic = topic
        self.key = key
        self.when = when
        self.fields = fields
        self.extra = extra
        self.location = location
    }

    /// True for a plain route: no field rules, so the record passes unchanged.
    public var isPassthrough: Bool { fields.isEmpty && extra == nil }
}

/// How the runtime batches, bounds and commits; defaults suit the embedded cluster and production.
public struct RuntimeTuning: Sendable, Equatable {
    /// Records taken from the consumer in one poll.
    public var batchSize: Int = 1_000
    /// Outputs awaiting broker acknowledgement before the runtime stops taking new records. With
    /// the commit cadence it bounds what a crash re-delivers (see the README's guarantees): 1,000
    /// and 500 below kept SIGKILL duplicates at 1.4 % in `ops/reliability kill` (2,000 and 1,000: 3.2 %).
    public var maxInFlight: Int = 1_000
    /// Key and value bytes awaiting acknowledgement before the runtime stops taking new records.
    public var maxInFlightBytes: Int = 8 << 20
    /// Acknowledged offsets are committed at least this often …
    public var commitIntervalMs: Int = 100
    /// … and as soon as this many records are fully handled since the last commit.
    public var commitEveryRecords: Int = 500

    public init(
        batchSize: Int = 1_000, maxInFlight: Int = 1_000, commitIntervalMs: Int = 100, commitEveryRecords: Int = 500,
        maxInFlightBytes: Int = 8 << 20
    ) {
        self.batchSize = batchSize
        self.maxInFlight = maxInFlight
        self.commitIntervalMs = commitIntervalMs
        self.commitEveryRecords = commitEveryRecords
        self.maxInFlightBytes = maxInFlightBytes
    }
}
