/// How a `csv` connector reads a message: one record per message, with either the `columns`
/// declared in the connector (the message is one data line) or, when none are declared, a header line
/// followed by one data line.
public struct CSVOptions: Sendable, Equatable {
    public var columns: [String]?
    public var delimiter: UInt8

    public init(columns: [String]? = nil, delimiter: UInt8 = UInt8(ascii: ",")) {
        self.columns = columns
        self.delimiter = delimiter
    }
}
