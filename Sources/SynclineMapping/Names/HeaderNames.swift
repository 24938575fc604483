/// Every Kafka header name the hub reads or writes, in one place (SPEC §3, §4), so docs,
/// dashboards and tests can be checked against them.
public enum HeaderNames {
    // CloudEvents binary mode
    public static let ceSpecVersion = "ce_specversion"
    public static let ceID = "ce_id"
    public static let ceSource = "ce_source"
    public static let ceType = "ce_type"
    public static let ceTime = "ce_time"
    // W3C trace context, carried through
    public static let traceparent = "traceparent"
    public static let tracestate = "tracestate"
    // Syncline lineage
    public static let connector = "syncline-connector"
    public static let mappingVersion = "syncline-mapping-version"
    public static let sourceTopic = "syncline-source-topic"
    public static let sourcePartition = "syncline-source-partition"
    public static let sourceOffset = "syncline-source-offset"
    /// On a record folded from many inputs (a chat activity): `partition:first-last` per input partition.
    public static let sourceOffsets = "syncline-source-offsets"
    public static let ingestTs = "syncline-ingest-ts"
    public static let delayMs = "syncline-delay-ms"
    public static let delayed = "syncline-delayed"
    public static let route = "syncline-route"
    // DLQ context
    public static let errorStage = "syncline-error-stage"
    public static let errorCode = "syncline-error-code"
    public static let errorField = "syncline-error-field"
    public static let errorMessage = "syncline-error-message"
    public static let rule = "syncline-rule"
    public static let attempts = "syncline-attempts"
    public static let firstFailedAt = "syncline-first-failed-at"
    public static let replayCount = "syncline-replay-count"
    /// On a DLQ record whose original bytes the DLQ topic refused: their size and the reason.
    public static let valueDropped = "syncline-value-dropped"

    /// Headers that the hub owns and rewrites on every produced record.
    public static let lineage: Set<String> = [
        connector, mappingVersion, sourceTopic, sourcePartition, sourceOffset, sourceOffsets, ingestTs, delayMs, delayed, route,
    ]
}
