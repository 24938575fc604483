/// What restoring one partition's state took: changelog records read, keys kept, and time.
public struct PartitionRestore: Sendable, Equatable {
    public var partition: Int32
    public var records: Int
    public var keys: Int
    public var seconds: Double

    public init(partition: Int32, records: Int, keys: Int, seconds: Double) {
        self.partition = partition
        self.records = records
        self.keys = keys
        self.seconds = seconds
    }
}
