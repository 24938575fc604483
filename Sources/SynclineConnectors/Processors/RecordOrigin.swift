public import SynclineMapping

/// Where an input record really came from: its own coordinates, or — for a record the hub re-keyed
/// through `hub.repartition.<connector>.v1` — the raw record's, read from its lineage headers.
public struct RecordOrigin: Sendable, Equatable {
    public var topic: String
    public var partition: Int32
    public var offset: Int64

    public init(_ input: InputRecord) {
        if TopicNames.isRepartition(input.topic),
           let topic = input.headers.last(named: HeaderNames.sourceTopic)?.text,
           let partition = input.headers.last(named: HeaderNames.sourcePartition)?.text.flatMap({ Int32($0) }),
           let offset = input.headers.last(named: HeaderNames.sourceOffset)?.text.flatMap({ Int64($0) })
        {
            self.topic = topic
            self.partition = partition
            self.offset = offset
        } else {
            topic = input.topic
            partition = input.partition
            offset = input.offset
        }
    }
}
