import Foundation
public import SynclineMapping

/// Turns an accepted webhook body into the raw-topic record: keyed by the upstream id when the
/// body has one (else the request id), with CloudEvents binary-mode headers.
public enum IngressRecordBuilder {
    /// - Parameters:
    ///   - format: how to read the body for the id and time (the connector's input format, or the
    ///     scheme's: form for Twilio, XML for WeCom).
    ///   - receivedMs: when the hub received the request (the `ce_time` when the body has none).
    public static func record(
        body: [UInt8], endpoint: IngressEndpoint, format: PayloadFormat, requestID: String, receivedMs: Int64,
        traceparent: String?
    ) -> OutputRecord {
        let document = try? PayloadDecoder.decode(body, format: format, csv: endpoint.connector.csv)
        let eventID = document.flatMap { firstText(in: $0, paths: idPaths(endpoint)) }
        let occurredMs = document.flatMap { firstText(in: $0, paths: timePaths(endpoint)) }
            .flatMap { try? TimestampParser.utc.milliseconds($0) }
        let spec = endpoint.ingress
        var headers = [
            RecordHeader(HeaderNames.ceSpecVersion, "1.0"),
            RecordHeader(HeaderNames.ceID, eventID ?? requestID),
            RecordHeader(HeaderNames.ceSource, endpoint.connector.name),
            RecordHeader(HeaderNames.ceType, spec.ceType ?? "syncline.ingress.\(spec.verify.rawValue)"),
            RecordHeader(HeaderNames.ceTime, TimestampParser.format(milliseconds: occurredMs ?? receivedMs)),
        ]
        if let traceparent, !traceparent.isEmpty { headers.append(RecordHeader(HeaderNames.traceparent, traceparent)) }
        return OutputRecord(topic: endpoint.topic, key: Array((eventID ?? requestID).utf8), value: body, headers: headers)
    }

    /// The connector's event-id paths, then the vendors' usual id fields.
    static func idPaths(_ endpoint: IngressEndpoint) -> [String] {
        let declared = endpoint.connector.eventIDPaths.isEmpty ? [endpoint.connector.eventIDPath].compactMap { $0 } : endpoint.connector.eventIDPaths
        return declared + ["event_id", "id", "MsgId", "msgid", "CallSid", "MessageSid"]
    }

    static func timePaths(_ endpoint: IngressEndpoint) -> [String] {
        endpoint.connector.sourceTimestampPaths.isEmpty
            ? [endpoint.connector.sourceTimestampPath].compactMap { $0 } : endpoint.connector.sourceTimestampPaths
    }

    static func firstText(in document: JSONValue, paths: [String]) -> String? {
        for text in paths {
            guard let path = try? SourcePath.parse(text), let value = path.lookup(in: document) else { continue }
            if let string = value.stringValue, !string.isEmpty { return string }
            if let number = value.numberText { return number }
        }
        return nil
    }
}
