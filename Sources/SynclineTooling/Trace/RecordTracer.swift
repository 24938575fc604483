public import SynclineMapping

/// Follows one raw record through the records tied to it by lineage: outputs whose
/// `syncline-source-topic/-partition/-offset` (or `syncline-source-offsets` range) name it, records
/// made from those in turn (a stateful connector's repartition hop), and alerts and latency
/// observations whose JSON names it as `source_topic/source_partition/source_offset`. Pure: the
/// candidates are whatever the caller read from Kafka.
public enum RecordTracer {
    public static func follow(_ origin: InputRecord, candidates: [InputRecord], maxDepth: Int = 4) -> [TraceHop] {
        var hops = [TraceHop(kind: .raw, record: origin, depth: 0, delayMs: 0)]
        var frontier = [origin]
        var seen = Set([origin.coordinates])
        var depth = 1
        while !frontier.isEmpty && depth <= maxDepth {
            var next: [InputRecord] = []
            for parent in frontier {
                for candidate in candidates where !seen.contains(candidate.coordinates) && isMade(candidate, from: parent) {
                    seen.insert(candidate.coordinates)
                    let delay = candidate.timestampMs.flatMap { ts in origin.timestampMs.map { ts - $0 } }
                    hops.append(TraceHop(kind: kind(of: candidate), record: candidate, depth: depth, delayMs: delay))
                    next.append(candidate)
                }
            }
            frontier = next
            depth += 1
        }
        return hops
    }

    /// True when `record`'s lineage names `parent` as its input.
    public static func isMade(_ record: InputRecord, from parent: InputRecord) -> Bool {
        let headers = record.headers
        if let topic = headers.last(named: HeaderNames.sourceTopic)?.text, topic == parent.topic {
            if let partition = headers.last(named: HeaderNames.sourcePartition)?.text.flatMap({ Int32($0) }),
                let offset = headers.last(named: HeaderNames.sourceOffset)?.text.flatMap({ Int64($0) }),
                partition == parent.partition, offset == parent.offset
            {
                return true
            }
            if let ranges = headers.last(named: HeaderNames.sourceOffsets)?.text, covers(ranges, parent.partition, parent.offset) {
                return true
            }
        }
        // Alerts and latency observations name their input in the JSON value.
        guard record.topic == TopicNames.alerts || record.topic == TopicNames.latency, let value = record.value,
            let document = try? JSONParser.parse(value)
        else { return false }
        return document["source_topic"]?.stringValue == parent.topic
            && document["source_partition"]?.numberText == String(parent.partition)
            && document["source_offset"]?.numberText == String(parent.offset)
    }

    /// `3:17-42,5:8-8` covers partition 3 offsets 17…42 and partition 5 offset 8.
    static func covers(_ ranges: String, _ partition: Int32, _ offset: Int64) -> Bool {
        for item in ranges.split(separator: ",") {
            let parts = item.split(separator: ":")
            guard parts.count == 2, Int32(parts[0]) == partition else { continue }
            let bounds = parts[1].split(separator: "-")
            guard bounds.count == 2, let first = Int64(bounds[0]), let last = Int64(bounds[1]) else { continue }
            if first <= offset && offset <= last { return true }
        }
        return false
    }

    static func kind(of record: InputRecord) -> TraceHop.Kind {
        if record.topic == TopicNames.alerts { return .alert }
        if record.topic == TopicNames.latency { return .latency }
        if TopicNames.isRepartition(record.topic) { return .repartition }
        if let connector = record.headers.last(named: HeaderNames.connector)?.text, record.topic == TopicNames.state(connector: connector) {
            return .state
        }
        if record.headers.last(named: HeaderNames.errorCode) != nil { return .dlq }
        return .output
    }
}
