import SynclineMapping
import SynclineSecurity
import SynclineStore

/// JSON shapes of the admin API (snake_case, timestamps RFC 3339 UTC side by side).
enum AdminViews {
    struct Connectors: Codable {
        var connectors: [ConnectorStatus]
    }

    struct Channel: Codable {
        var connector: String
        var consumed: Int
        var produced: Int
        var rejected: Int
        var delayed: Int
        var skewed: Int
        var success_rate: Double
        var delayed_share: Double
    }

    struct Channels: Codable {
        var window: String
        var channels: [Channel]
    }

    struct Sample: Codable {
        var connector: String
        var event_id: String
        var source_ts: String
        var ingest_ts: String
        var broker_ts: String
        var ack_ts: String
        var delay_ms: Int64
        var attribution: String
        var source: String
        var output_topic: String
        var mapping_version: String
    }

    struct Samples: Codable {
        var samples: [Sample]
    }

    struct DeadLetter: Codable {
        var connector: String
        var stage: String
        var code: String
        var field: String?
        var rule: String?
        var message: String
        var source: String
        var dlq: String
        var event_id: String?
        var failed_at: String
        var mapping_version: String
    }

    struct DeadLetters: Codable {
        var dead_letters: [DeadLetter]
    }

    struct Outcome: Codable {
        var connector: String
        var state: String
    }

    struct Problem: Codable {
        var error: String
    }

    static func channel(_ health: ChannelHealth) -> Channel {
        Channel(
            connector: health.connector, consumed: health.consumed, produced: health.produced, rejected: health.rejected,
            delayed: health.delayed, skewed: health.skewed, success_rate: health.successRate, delayed_share: health.delayedShare)
    }

    static func sample(_ sample: DelayedSample) -> Sample {
        Sample(
            connector: sample.connector, event_id: sample.eventID, source_ts: UTCTimestamp.format(ms: sample.sourceMs),
            ingest_ts: UTCTimestamp.format(ms: sample.consumeMs), broker_ts: UTCTimestamp.format(ms: sample.brokerMs),
            ack_ts: UTCTimestamp.format(ms: sample.ackMs), delay_ms: sample.delayMs, attribution: sample.attribution,
            source: "\(sample.sourceTopic)[\(sample.sourcePartition)]@\(sample.sourceOffset)", output_topic: sample.outputTopic,
            mapping_version: sample.mappingVersion)
    }

    /// One DLQ index row; `masked` masks the quoted values, phones and emails in the reason.
    static func deadLetter(_ entry: DeadLetterEntry, masked: Bool) -> DeadLetter {
        DeadLetter(
            connector: entry.connector, stage: entry.stage, code: entry.code, field: entry.field, rule: entry.rule,
            message: masked ? PersonalDataMask.text(entry.message) : entry.message, source: "\(entry.sourceTopic)[\(entry.sourcePartition)]@\(entry.sourceOffset)",
            dlq: "\(entry.dlqTopic)[\(entry.dlqPartition)]@\(entry.dlqOffset)", event_id: entry.eventID,
            failed_at: UTCTimestamp.format(ms: entry.failedAtMs), mapping_version: entry.mappingVersion)
    }
}
