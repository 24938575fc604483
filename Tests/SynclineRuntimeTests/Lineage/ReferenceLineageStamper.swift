import SynclineMapping
@testable import SynclineRuntime

/// The lineage stamper as it was before header blocks (one `RecordHeader` per header, values made
/// per record): kept as the oracle that `LineageStamper`'s prebuilt header blocks must match.
struct ReferenceLineageStamper: Sendable {
    let connector: String
    let mappingVersion: String
    let sloMs: Int64
    private let connectorBytes: [UInt8]
    private let versionBytes: [UInt8]
    private let defaultSource: [UInt8]
    private var ingest: (ms: Int64, bytes: [UInt8]) = (.min, [])
    private var route: (name: String?, type: [UInt8], bytes: [UInt8]?) = (nil, [], nil)
    private var topic: (name: String, bytes: [UInt8]) = ("", [])
    private var partition: (number: Int32, bytes: [UInt8]) = (-1, [])

    init(connector: String, mappingVersion: String, sloSeconds: Double) {
        self.connector = connector
        self.mappingVersion = mappingVersion
        self.sloMs = Int64(sloSeconds * 1000)
        connectorBytes = Array(connector.utf8)
        versionBytes = Array(mappingVersion.utf8)
        defaultSource = Array("/syncline/connectors/\(connector)".utf8)
        route = (nil, Array("syncline.\(connector).route".utf8), nil)
    }

    /// - Parameters:
    ///   - consumeMs: when the hub consumed the input (`syncline-ingest-ts`).
    ///   - nowMs: when the output is produced; `syncline-delay-ms` is measured up to here.
    mutating func stamp(_ output: OutputRecord, context: RecordContext, route routeName: String?, consumeMs: Int64, nowMs: Int64) -> OutputRecord {
        let input = context.input
        var headers: [RecordHeader] = []
        headers.reserveCapacity(output.headers.count + 15)
        var has = (id: false, source: false, type: false, time: false, spec: false)
        for header in output.headers where !Self.isHubOwned(header.name) {
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
        if routeName != route.name {
            route = (routeName, Array("syncline.\(connector).\(routeName ?? "route")".utf8), routeName.map { Array($0.utf8) })
        }
        if input.topic != topic.name { topic = (input.topic, Array(input.topic.utf8)) }
        if input.partition != partition.number { partition = (input.partition, Array(String(input.partition).utf8)) }
        if consumeMs != ingest.ms { ingest = (consumeMs, UTCTimestamp.bytes(ms: consumeMs)) }

        if !has.spec { headers.append(RecordHeader(name: HeaderNames.ceSpecVersion, value: Self.specVersion)) }
        if !has.id {
            let id = context.eventID ?? "\(input.topic)-\(input.partition)-\(input.offset)"
            headers.append(RecordHeader(name: HeaderNames.ceID, value: Array(id.utf8)))
        }
        if !has.source { headers.append(RecordHeader(name: HeaderNames.ceSource, value: defaultSource)) }
        if !has.type { headers.append(RecordHeader(name: HeaderNames.ceType, value: route.type)) }
        if !has.time, let time = context.sourceTimeMs ?? input.timestampMs {
            headers.append(RecordHeader(name: HeaderNames.ceTime, value: UTCTimestamp.bytes(ms: time)))
        }
        headers.append(RecordHeader(name: HeaderNames.connector, value: connectorBytes))
        headers.append(RecordHeader(name: HeaderNames.mappingVersion, value: versionBytes))
        if let routeBytes = route.bytes { headers.append(RecordHeader(name: HeaderNames.route, value: routeBytes)) }
        headers.append(RecordHeader(name: HeaderNames.sourceTopic, value: topic.bytes))
        headers.append(RecordHeader(name: HeaderNames.sourcePartition, value: partition.bytes))
        headers.append(RecordHeader(name: HeaderNames.sourceOffset, value: Array(String(input.offset).utf8)))
        headers.append(RecordHeader(name: HeaderNames.ingestTs, value: ingest.bytes))
        if let source = context.sourceTimeMs {
            let delay = max(0, nowMs - source)
            headers.append(RecordHeader(name: HeaderNames.delayMs, value: Array(String(delay).utf8)))
            headers.append(RecordHeader(name: HeaderNames.delayed, value: delay > sloMs ? Self.trueBytes : Self.falseBytes))
        }
        var stamped = output
        stamped.headers = headers
        return stamped
    }

    /// Headers the hub writes itself (lineage, DLQ context): never copied from the input.
    static func isHubOwned(_ name: String) -> Bool {
        name.utf8.starts(with: "syncline-".utf8) && (HeaderNames.lineage.contains(name) || name.hasPrefix("syncline-error-"))
    }

    static let specVersion = Array("1.0".utf8)
    static let trueBytes = Array("true".utf8)
    static let falseBytes = Array("false".utf8)
}
