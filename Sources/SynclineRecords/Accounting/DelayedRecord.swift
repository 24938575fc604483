/// A record delivered later than its SLO: identity, coordinates and its timing, kept as a sample.
public struct DelayedRecord: Sendable, Equatable {
    public var connector: String
    public var eventID: String
    public var sourceTopic: String
    public var sourcePartition: Int32
    public var sourceOffset: Int64
    public var outputTopic: String
    public var observation: LatencyObservation
    public var mappingVersion: String

    public init(
        connector: String, eventID: String, sourceTopic: String, sourcePartition: Int32, sourceOffset: Int64,
        outputTopic: String, observation: LatencyObservation, mappingVersion: String
    ) {
        self.connector = connector
        self.eventID = eventID
        self.sourceTopic = sourceTopic
        self.sourcePartition = sourcePartition
        self.sourceOffset = sourceOffset
        self.outputTopic = outputTopic
        self.observation = observation
        self.mappingVersion = mappingVersion
    }
}
