/// One connector as the admin API and `syncline status` show it.
public struct ConnectorStatus: Codable, Sendable, Equatable {
    public var name: String
    /// `running`, `paused` or `stopped`.
    public var state: String
    /// Circuit breaker of the connector's sink: `closed`, `half_open` or `open`.
    public var breaker: String
    public var mappingVersion: String
    public var inputTopics: [String]
    public var assignedPartitions: Int
    /// Input records per second over the last sampling interval.
    public var recordsPerSecond: Double
    public var consumed: Int
    public var produced: Int
    public var deadLettered: Int
    public var inFlight: Int
    /// Consumer lag summed over the assigned partitions, in records, and the largest lag in seconds.
    public var lagRecords: Int64
    public var lagSeconds: Double
    /// Share of records whose canonical field was empty, by field (e.g. `city: 0.87`).
    public var fieldEmptyRates: [String: Double]
    /// For a connector whose state follows its partitions: how far restoring it has come
    /// (`restored 3/3 partitions, last p7: 120 records in 0.041 s`); nil for stateless connectors.
    public var stateRestore: String?

    public init(
        name: String, state: String, breaker: String, mappingVersion: String, inputTopics: [String],
        assignedPartitions: Int, recordsPerSecond: Double, consumed: Int, produced: Int, deadLettered: Int,
        inFlight: Int, lagRecords: Int64, lagSeconds: Double, fieldEmptyRates: [String: Double] = [:]
    ) {
        self.fieldEmptyRates = fieldEmptyRates
        self.name = name
        self.state = state
        self.breaker = breaker
        self.mappingVersion = mappingVersion
        self.inputTopics = inputTopics
        self.assignedPartitions = assignedPartitions
        self.recordsPerSecond = recordsPerSecond
        self.consumed = consumed
        self.produced = produced
        self.deadLettered = deadLettered
        self.inFlight = inFlight
        self.lagRecords = lagRecords
        self.lagSeconds = lagSeconds
    }

    enum CodingKeys: String, CodingKey {
        case name, state, breaker, consumed, produced
        case mappingVersion = "mapping_version"
        case inputTopics = "input_topics"
        case assignedPartitions = "assigned_partitions"
        case recordsPerSecond = "records_per_second"
        case deadLettered = "dead_lettered"
        case inFlight = "in_flight"
        case lagRecords = "lag_records"
        case lagSeconds = "lag_seconds"
        case fieldEmptyRates = "field_empty_rates"
        case stateRestore = "state_restore"
    }
}
