public import SynclineMapping

/// Encodes a delayed record's observation as the JSON value of a `hub.latency.v1` record.
public enum LatencyRecordEncoder {
    public static func encode(_ record: DelayedRecord, sloMs: Int64) -> [UInt8] {
        let o = record.observation
        var out = "{"
        out += "\"event_id\":" + quoted(record.eventID)
        out += ",\"connector\":" + quoted(record.connector)
        out += ",\"source_topic\":" + quoted(record.sourceTopic)
        out += ",\"source_partition\":\(record.sourcePartition)"
        out += ",\"source_offset\":\(record.sourceOffset)"
        out += ",\"output_topic\":" + quoted(record.outputTopic)
        out += ",\"source_ts\":" + quoted(UTCTimestamp.format(ms: o.sourceMs))
        out += ",\"broker_ts\":" + quoted(UTCTimestamp.format(ms: o.brokerMs))
        out += ",\"consume_ts\":" + quoted(UTCTimestamp.format(ms: o.consumeMs))
        out += ",\"ack_ts\":" + quoted(UTCTimestamp.format(ms: o.ackMs))
        out += ",\"delay_ms\":\(o.delayMs),\"upstream_ms\":\(o.upstreamMs),\"queue_ms\":\(o.queueMs),\"processing_ms\":\(o.processingMs)"
        out += ",\"attribution\":" + quoted(o.attribution.rawValue)
        out += ",\"slo_ms\":\(sloMs),\"delayed\":\(o.delayed)"
        out += ",\"mapping_version\":" + quoted(record.mappingVersion)
        out += "}"
        return Array(out.utf8)
    }

    /// A JSON string literal with RFC 8259 escaping.
    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
