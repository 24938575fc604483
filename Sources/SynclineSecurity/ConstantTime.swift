/// Comparisons whose running time does not depend on where two secrets differ.
public enum ConstantTime {
    /// True when both byte sequences are equal; runs in time proportional to `expected` only.
    public static func equals(_ given: some Collection<UInt8>, _ expected: some Collection<UInt8>) -> Bool {
        let lhs = Array(given)
        let rhs = Array(expected)
        var difference = UInt8(lhs.count == rhs.count ? 0 : 1)
        for index in 0..<rhs.count {
            difference |= rhs[index] ^ (index < lhs.count ? lhs[index] : 0)
        }
        return difference == 0 && !rhs.isEmpty
    }

    /// The same for text, compared as UTF-8.
    public static func equals(_ given: String, _ expected: String) -> Bool {
        equals(Array(given.utf8), Array(expected.utf8))
    }
}
