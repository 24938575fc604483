/// Builds the DLQ record for a rejected input: the original key and bytes unchanged, the input's
/// headers, and the error context headers of SPEC §4 so the rejection explains itself.
public enum DeadLetter {
    public static func record(
        for input: InputRecord, rejection: Rejection, connector: String, mappingVersion: String, dlqTopic: String,
        attempts: Int, firstFailedAtMs: Int64
    ) -> OutputRecord {
        var headers = input.headers.filter { header in
            !header.name.hasPrefix("syncline-error-") && header.name != HeaderNames.rule
                && header.name != HeaderNames.attempts && header.name != HeaderNames.firstFailedAt
                && !HeaderNames.lineage.contains(header.name)
        }
        headers.append(RecordHeader(HeaderNames.errorStage, rejection.stage.rawValue))
        headers.append(RecordHeader(HeaderNames.errorCode, rejection.code))
        if let field = rejection.field { headers.append(RecordHeader(HeaderNames.errorField, field)) }
        headers.append(RecordHeader(HeaderNames.errorMessage, message(for: rejection, connector: connector, input: input)))
        if let rule = rejection.rule { headers.append(RecordHeader(HeaderNames.rule, rule)) }
        headers.append(RecordHeader(HeaderNames.connector, connector))
        headers.append(RecordHeader(HeaderNames.mappingVersion, mappingVersion))
        headers.append(RecordHeader(HeaderNames.attempts, String(attempts)))
        headers.append(RecordHeader(HeaderNames.firstFailedAt, UTCTimestamp.format(ms: firstFailedAtMs)))
        headers.append(RecordHeader(HeaderNames.sourceTopic, input.topic))
        headers.append(RecordHeader(HeaderNames.sourcePartition, String(input.partition)))
        headers.append(RecordHeader(HeaderNames.sourceOffset, String(input.offset)))
        return OutputRecord(topic: dlqTopic, key: input.key, value: input.value, headers: headers)
    }

    /// The message names what was wrong and where: connector, route, field and the record's offset.
    public static func message(for rejection: Rejection, connector: String, input: InputRecord) -> String {
        var location = "connector \(connector)"
        if let rule = rejection.rule { location += ", route \(rule)" }
        if let field = rejection.field { location += ", field \(field)" }
        location += ", record \(input.coordinates)"
        return "\(rejection.message) (\(location))"
    }
}
