/// The input offsets a conversation's messages came from, compactly: one `partition:first-last`
/// range per input partition (`3:17-42,5:8-8`). Carried as the `syncline-source-offsets` header of
/// a chat activity, so a message can be traced to the activity that counted it.
public struct SourceOffsetRanges: Sendable, Equatable {
    /// First and last offset seen, by partition.
    public private(set) var ranges: [Int32: ClosedRange<Int64>] = [:]

    public init() {}

    /// Reads the text form; parts it cannot read are skipped (the lineage is informative only).
    public init(text: String) {
        for part in text.split(separator: ",") {
            let halves = part.split(separator: ":")
            guard halves.count == 2, let partition = Int32(halves[0]) else { continue }
            let bounds = halves[1].split(separator: "-").compactMap { Int64($0) }
            guard bounds.count == 2, bounds[0] <= bounds[1] else { continue }
            ranges[partition] = bounds[0]...bounds[1]
        }
    }

    /// Widens the partition's range to include `offset`.
    public mutating func include(partition: Int32, offset: Int64) {
        guard partition >= 0, offset >= 0 else { return }
        if let range = ranges[partition] {
            ranges[partition] = min(range.lowerBound, offset)...max(range.upperBound, offset)
        } else {
            ranges[partition] = offset...offset
        }
    }

    /// `partition:first-last` per partition, in partition order.
    public var text: String {
        ranges.keys.sorted().compactMap { partition in
            ranges[partition].map { "\(partition):\($0.lowerBound)-\($0.upperBound)" }
        }.joined(separator: ",")
    }
}
