public import SynclineMapping

/// Counts field completeness on the hot path into arrays indexed like `FieldLabels`, and folds the
/// counts into a turn's `ConnectorActivity` (by label) once per turn, off the per-record path.
public struct FieldCompletenessCounter: Sendable {
    private var labels: FieldLabels?
    private var seen: [Int] = []
    private var empty: [Int] = []
    private var pending = false

    public init() {}

    /// Counts one record's marks.
    @inline(__always)
    public mutating func count(_ marks: FieldMarks, into activity: inout ConnectorActivity) {
        guard let marked = marks.labels else { return }
        if marked !== labels {
            fold(into: &activity)
            labels = marked
            seen = Array(repeating: 0, count: marked.names.count)
            empty = seen
        }
        pending = true
        seen.withUnsafeMutableBufferPointer { seen in
            empty.withUnsafeMutableBufferPointer { empty in
                marks.forEach { index, filled in
                    seen[index] &+= 1
                    if !filled { empty[index] &+= 1 }
                }
            }
        }
    }

    /// Adds the counts so far to `activity.fieldSeen` / `fieldEmpty` by label, and resets them.
    public mutating func fold(into activity: inout ConnectorActivity) {
        guard pending, let labels else { return }
        pending = false
        for index in seen.indices where seen[index] > 0 {
            let label = labels.names[index]
            activity.fieldSeen[label, default: 0] += seen[index]
            if empty[index] > 0 { activity.fieldEmpty[label, default: 0] += empty[index] }
            seen[index] = 0
            empty[index] = 0
        }
    }
}
