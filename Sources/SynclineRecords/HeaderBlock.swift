/// Record headers encoded back to back in one byte buffer, so a produced record's headers cost one
/// allocation: runs that never change (per route, per input partition) are prebuilt once and copied
/// in, and only the per-record values are written. The producer walks the buffer; `headers` decodes
/// it for everything else.
///
/// Layout, per header: name length (4 bytes, little-endian), the name's UTF-8 bytes, value length
/// (4 bytes, little-endian; `0xFFFF_FFFF` for a null value), the value bytes.
public struct HeaderBlock: Sendable, Equatable {
    public private(set) var bytes: [UInt8]
    /// Headers in the block.
    public private(set) var count: Int

    static let nullLength: UInt32 = 0xFFFF_FFFF

    public init(reservingCapacity capacity: Int = 0) {
        bytes = []
        bytes.reserveCapacity(capacity)
        count = 0
    }

    /// A block of `headers`, in order.
    public init(_ headers: [RecordHeader]) {
        self.init(reservingCapacity: headers.reduce(0) { $0 + 8 + $1.name.utf8.count + ($1.value?.count ?? 0) })
        for header in headers { append(header) }
    }

    public mutating func append(_ header: RecordHeader) {
        append(name: header.name, value: header.value)
    }

    public mutating func append(name: String, value: [UInt8]?) {
        appendName(name)
        guard let value else {
            Self.put(Self.nullLength, into: &bytes)
            return
        }
        Self.put(UInt32(truncatingIfNeeded: value.count), into: &bytes)
        bytes.append(contentsOf: value)
    }

    /// Appends headers encoded by another block (a prebuilt run).
    public mutating func append(_ run: HeaderBlock) {
        bytes.append(contentsOf: run.bytes)
        count &+= run.count
    }

    /// Starts a header whose value the caller writes next with `appendValueByte(s)`; `valueStart`
    /// finishes it. Returns where the value's length goes.
    public mutating func beginValue(named name: String) -> Int {
        appendName(name)
        let at = bytes.count
        Self.put(0, into: &bytes)
        return at
    }

    /// Starts a header from a prebuilt name run (see `nameRun(_:)`).
    public mutating func beginValue(nameRun: [UInt8]) -> Int {
        bytes.append(contentsOf: nameRun)
        count &+= 1
        let at = bytes.count
        Self.put(0, into: &bytes)
        return at
    }

    /// Finishes the header started at `lengthAt`: its value is every byte appended since.
    public mutating func endValue(_ lengthAt: Int) {
        let length = UInt32(truncatingIfNeeded: bytes.count &- lengthAt &- 4)
        bytes[lengthAt] = UInt8(truncatingIfNeeded: length)
        bytes[lengthAt &+ 1] = UInt8(truncatingIfNeeded: length >> 8)
        bytes[lengthAt &+ 2] = UInt8(truncatingIfNeeded: length >> 16)
        bytes[lengthAt &+ 3] = UInt8(truncatingIfNeeded: length >> 24)
    }

    @inline(__always)
    public mutating func appendValueByte(_ byte: UInt8) { bytes.append(byte) }

    @inline(__always)
    public mutating func appendValueBytes(_ value: some Sequence<UInt8>) { bytes.append(contentsOf: value) }

    /// Appends `value` in decimal ASCII (no String made).
    public mutating func appendValueDecimal(_ value: Int64) {
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var used = 0
            repeat {
                digits[19 &- used] = UInt8(truncatingIfNeeded: 0x30 &+ magnitude % 10)
                magnitude /= 10
                used &+= 1
            } while magnitude > 0
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: digits[(20 &- used)...]))
        }
    }

    /// The encoded name part of a header (length and name), to prebuild with `beginValue(nameRun:)`.
    public static func nameRun(_ name: String) -> [UInt8] {
        var run = HeaderBlock()
        run.appendName(name)
        return run.bytes
    }

    private mutating func appendName(_ name: String) {
        count &+= 1
        var name = name
        name.withUTF8 { utf8 in
            Self.put(UInt32(truncatingIfNeeded: utf8.count), into: &bytes)
            bytes.append(contentsOf: utf8)
        }
    }

    @inline(__always)
    private static func put(_ value: UInt32, into bytes: inout [UInt8]) {
        bytes.append(UInt8(truncatingIfNeeded: value))
        bytes.append(UInt8(truncatingIfNeeded: value >> 8))
        bytes.append(UInt8(truncatingIfNeeded: value >> 16))
        bytes.append(UInt8(truncatingIfNeeded: value >> 24))
    }

    /// Calls `body` with each header's name and value bytes (nil for a null value), in order,
    /// pointing into the block. Stops early at a malformed entry (never produced by this type).
    public func forEach(_ body: (_ name: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer?) -> Void) {
        bytes.withUnsafeBytes { raw in
            var at = 0
            let end = raw.count
            while at &+ 4 <= end {
                let nameLength = Int(Self.read(raw, at))
                let nameStart = at &+ 4
                let lengthAt = nameStart &+ nameLength
                guard lengthAt &+ 4 <= end else { return }
                let length = Self.read(raw, lengthAt)
                let valueStart = lengthAt &+ 4
                let name = UnsafeRawBufferPointer(rebasing: raw[nameStart..<lengthAt])
                if length == Self.nullLength {
                    body(name, nil)
                    at = valueStart
                    continue
                }
                let valueEnd = valueStart &+ Int(length)
                guard valueEnd <= end else { return }
                body(name, UnsafeRawBufferPointer(rebasing: raw[valueStart..<valueEnd]))
                at = valueEnd
            }
        }
    }

    @inline(__always)
    private static func read(_ raw: UnsafeRawBufferPointer, _ at: Int) -> UInt32 {
        UInt32(raw[at]) | UInt32(raw[at &+ 1]) << 8 | UInt32(raw[at &+ 2]) << 16 | UInt32(raw[at &+ 3]) << 24
    }

    /// The headers, decoded.
    public var headers: [RecordHeader] {
        var headers: [RecordHeader] = []
        headers.reserveCapacity(count)
        forEach { name, value in
            headers.append(RecordHeader(name: String(decoding: name, as: UTF8.self), value: value.map { Array($0) }))
        }
        return headers
    }
}
