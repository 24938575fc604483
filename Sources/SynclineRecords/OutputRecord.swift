/// A record the hub will produce: canonical output, DLQ entry, alert or latency observation.
public struct OutputRecord: Sendable, Equatable {
    public var topic: String
    public var key: [UInt8]?
    public var value: [UInt8]?
    private var headerList: [RecordHeader]
    /// The headers pre-encoded in one buffer (the lineage stamper's hot path); when set, `headers`
    /// is decoded from it and the producer reads it directly.
    public private(set) var headerBlock: HeaderBlock?
    /// An explicit partition (a changelog record goes to its input's partition number, so state
    /// travels with the partition); nil lets the producer's partitioner choose by key.
    public var partition: Int32?

    public init(topic: String, key: [UInt8]?, value: [UInt8]?, headers: [RecordHeader] = [], partition: Int32? = nil) {
        self.topic = topic
        self.key = key
        self.value = value
        self.headerList = headers
        self.headerBlock = nil
        self.partition = partition
    }

    public init(topic: String, key: [UInt8]?, value: [UInt8]?, headerBlock: HeaderBlock, partition: Int32? = nil) {
        self.topic = topic
        self.key = key
        self.value = value
        self.headerList = []
        self.headerBlock = headerBlock
        self.partition = partition
    }

    /// The headers in order. Setting them replaces a pre-encoded block.
    public var headers: [RecordHeader] {
        get { headerBlock?.headers ?? headerList }
        set {
            headerList = newValue
            headerBlock = nil
        }
    }

    /// Same topic, key, value and headers (however they are stored).
    public static func == (lhs: OutputRecord, rhs: OutputRecord) -> Bool {
        lhs.topic == rhs.topic && lhs.key == rhs.key && lhs.value == rhs.value && lhs.headers == rhs.headers
            && lhs.partition == rhs.partition
    }
}
