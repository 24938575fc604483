/// One Kafka record header: a name and optional raw bytes, kept as bytes so nothing is re-encoded.
public struct RecordHeader: Sendable, Equatable, Hashable {
    public var name: String
    public var value: [UInt8]?

    public init(name: String, value: [UInt8]?) {
        self.name = name
        self.value = value
    }

    public init(_ name: String, _ text: String) {
        self.name = name
        self.value = Array(text.utf8)
    }

    /// The value as UTF-8 text, or nil when absent or not valid UTF-8.
    public var text: String? {
        guard let value else { return nil }
        return String(validating: value, as: UTF8.self)
    }
}

extension Array where Element == RecordHeader {
    /// The last header with this name (Kafka allows repeats; the latest wins).
    public func last(named name: String) -> RecordHeader? {
        last { $0.name == name }
    }
}
