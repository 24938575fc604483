import SynclineMapping
import SynclineKafka

/// Where a resync moves each partition, and what that means: records from the new offset to the
/// group's committed one are processed a second time.
struct ResyncPlan: Sendable {
    var positions: [String: [KafkaOffsetSeeker.Position]]
    var committed: [TopicPartition]

    /// The offsets to commit, one per partition.
    var targets: [TopicPartition] {
        positions.keys.sorted().flatMap { topic in
            (positions[topic] ?? []).map { TopicPartition(topic: topic, partition: $0.partition, offset: $0.offset) }
        }
    }

    func committedOffset(_ topic: String, _ partition: Int32) -> Int64? {
        committed.first { $0.topic == topic && $0.partition == partition }?.offset
    }

    /// Records between the new offset and the committed one, over every partition.
    var reprocessed: Int64 {
        positions.flatMap { topic, list in list.map { max(0, (committedOffset(topic, $0.partition) ?? $0.offset) - $0.offset) } }.reduce(0, +)
    }

    var lines: [String] {
        var rows = [["TOPIC", "PARTITION", "COMMITTED", "NEW OFFSET", "END", "RE-PROCESSED", "FOUND BY"]]
        for topic in positions.keys.sorted() {
            for position in positions[topic] ?? [] {
                let committed = committedOffset(topic, position.partition)
                let again = committed.map { max(0, $0 - position.offset) }
                rows.append([
                    topic, "\(position.partition)", committed.map(String.init) ?? "none", "\(position.offset)", "\(position.high)",
                    again.map(String.init) ?? "-",
                    position.method == .search ? "search (\(position.probes) reads)" : position.method.rawValue,
                ])
            }
        }
        var out = TextTable.render(rows)
        out.append("total: \(reprocessed) record(s) processed again")
        return out
    }
}
