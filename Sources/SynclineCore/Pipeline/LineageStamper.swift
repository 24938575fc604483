/// Adds the CloudEvents and Syncline lineage headers (SPEC §3) to a produced record, replacing any
/// hub-owned headers the input carried; upstream headers such as `traceparent` pass through.
public struct LineageStamper: Sendable {
    public let connector: String
    public let mappingVersion: String
    public let sloMs: Int64
    private let connectorBytes: [UInt8]
    private let versionBytes: [UInt8]
    private let defaultSource: [UInt8]

    public init(connector: String, mappingVersion: String, sloSeconds: Double) {
        self.connector = connector
        self.mappingVersion = mappingVersion
        self.sloMs = Int64(sloSeconds * 1000)
        connectorBytes = Array(connector.utf8)
        versionBytes = Array(mappingVersion.utf8)
        defaultSource = Array("/syncline/connectors/\(connector)".utf8)
    }

    /// - Parameters:
    ///   - consumeMs: when the hub consumed the input (`syncline-ingest-ts`).
    ///   - nowMs: when the output is produced; `syncline-delay-ms` is measured up to here.
    public func stamp(_ output: OutputRecord, context: RecordContext, route: String?, consumeMs: Int64, nowMs: Int64) -> OutputRecord {
        let input = context.input
        var headers: [RecordHeader] = []
        headers.reserveCapacity(output.headers.count + 16)
        var has = (id: false, source: false, type: false, time: false, spec: false)
        for header in output.headers where !HeaderNames.lineage.contains(header.name) && !header.name.hasPrefix("syncline-error-") {
            switch header.name {
            case HeaderNames.ceID:
                if context.eventID != nil { continue }
                has.id = true
            case HeaderNames.ceSource: has.source = true
            case HeaderNames.ceType: has.type = true
            case HeaderNames.ceTime:
                if context.sourceTimeMs != nil { continue }
                has.time = true
            case HeaderNames.ceSpecVersion: has.spec = true
            default: break
            }
            headers.append(header)
        }
        if !has.spec { headers.append(RecordHeader(name: HeaderNames.ceSpecVersion, value: Self.specVersion)) }
        if !has.id {
            let id = context.eventID ?? "\(input.topic)-\(input.partition)-\(input.offset)"
            headers.append(RecordHeader(name: HeaderNames.ceID, value: Array(id.utf8)))
        }
        if !has.source { headers.append(RecordHeader(name: HeaderNames.ceSource, value: defaultSource)) }
        if !has.type {
            headers.append(RecordHeader(name: HeaderNames.ceType, value: Array("syncline.\(connector).\(route ?? "route")".utf8)))
        }
        if !has.time, let time = context.sourceTimeMs ?? input.timestampMs {
            headers.append(RecordHeader(name: HeaderNames.ceTime, value: Array(UTCTimestamp.format(ms: time).utf8)))
        }
        headers.append(RecordHeader(name: HeaderNames.connector, value: connectorBytes))
        headers.append(RecordHeader(name: HeaderNames.mappingVersion, value: versionBytes))
        if let route { headers.append(RecordHeader(name: HeaderNames.route, value: Array(route.utf8))) }
        headers.append(RecordHeader(name: HeaderNames.sourceTopic, value: Array(input.topic.utf8)))
        headers.append(RecordHeader(name: HeaderNames.sourcePartition, value: Array(String(input.partition).utf8)))
        headers.append(RecordHeader(name: HeaderNames.sourceOffset, value: Array(String(input.offset).utf8)))
        headers.append(RecordHeader(name: HeaderNames.ingestTs, value: Array(UTCTimestamp.format(ms: consumeMs).utf8)))
        if let source = context.sourceTimeMs {
            let delay = max(0, nowMs - source)
            headers.append(RecordHeader(name: HeaderNames.delayMs, value: Array(String(delay).utf8)))
            headers.append(RecordHeader(name: HeaderNames.delayed, value: delay > sloMs ? Self.trueBytes : Self.falseBytes))
        }
        var stamped = output
        stamped.headers = headers
        return stamped
    }

    static let specVersion = Array("1.0".utf8)
    static let trueBytes = Array("true".utf8)
    static let falseBytes = Array("false".utf8)
}
