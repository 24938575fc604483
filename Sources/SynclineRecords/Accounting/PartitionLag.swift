/// How far a connector is behind on one input partition: records not yet consumed, and the age
/// of the newest record it has consumed while behind (a lower bound of the waiting records' age).
public struct PartitionLag: Sendable, Equatable {
    public var topic: String
    public var partition: Int32
    public var records: Int64
    public var seconds: Double

    public init(topic: String, partition: Int32, records: Int64, seconds: Double) {
        self.topic = topic
        self.partition = partition
        self.records = records
        self.seconds = seconds
    }
}
