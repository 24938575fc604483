/// Helpers every harness compiles with: turning libFuzzer's bytes into the parts a harness needs,
/// and failing loudly (a crash is what libFuzzer reports) when a property does not hold.
enum FuzzInput {
    /// The input as bytes.
    static func bytes(_ data: UnsafePointer<UInt8>?, _ count: Int) -> [UInt8] {
        guard let data, count > 0 else { return [] }
        return Array(UnsafeBufferPointer(start: data, count: count))
    }

    /// Up to `limit` parts split at a 0x00 byte (the last part keeps any further 0x00 bytes).
    static func parts(_ bytes: [UInt8], limit: Int) -> [[UInt8]] {
        var parts: [[UInt8]] = []
        var current: [UInt8] = []
        for byte in bytes {
            if byte == 0, parts.count < limit - 1 {
                parts.append(current)
                current = []
            } else {
                current.append(byte)
            }
        }
        parts.append(current)
        return parts
    }

    /// Text as a hub would see it (invalid UTF-8 repaired, as `String(decoding:)` does everywhere).
    static func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }
}

/// A property that must hold for every input; a violation crashes the harness so libFuzzer keeps it.
func require(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String) {
    if !condition() { fatalError("property violated: \(message())") }
}
