public import SynclineMapping

/// Adds the CloudEvents and Syncline lineage headers (SPEC §3) to a produced record, replacing any
/// hub-owned headers the input carried; upstream headers such as `traceparent` pass through.
/// Runs for every output, so the headers are written into one `HeaderBlock`: the runs that do not
/// change are prebuilt (per connector; per route; per route and input partition; per batch's ingest
/// time) and copied in, and only the per-record values (event id, source time, offset, delay) are
/// formatted, straight into the block, with no `String` or array made per header.
public struct LineageStamper: Sendable {
    public let connector: String
    public let mappingVersion: String
    public let sloMs: Int64
    /// `ce_specversion: 1.0`.
    private let specRun: HeaderBlock
    /// `ce_source` (the connector's default source).
    private let sourceRun: HeaderBlock
    /// `ce_type` and the lineage run (`syncline-connector` … `syncline-source-partition`) of the
    /// route and input partition seen last; others are kept in `runs`.
    private var current: PartitionRuns
    private var runs: [RunKey: PartitionRuns] = [:]
    private var ingest: (ms: Int64, run: HeaderBlock) = (.min, HeaderBlock())
    private let delayedTrue: HeaderBlock
    private let delayedFalse: HeaderBlock

    private struct RunKey: Hashable {
        var route: String?
        var topic: String
        var partition: Int32
    }

    private struct PartitionRuns {
        var key: RunKey?
        var type = HeaderBlock()
        var lineage = HeaderBlock()
    }

    static let idName = HeaderBlock.nameRun(HeaderNames.ceID)
    static let timeName = HeaderBlock.nameRun(HeaderNames.ceTime)
    static let offsetName = HeaderBlock.nameRun(HeaderNames.sourceOffset)
    static let delayName = HeaderBlock.nameRun(HeaderNames.delayMs)
    /// Room for the per-record values besides the event id: time, offset, delay, and their lengths.
    static let variableBytes = 160

    public init(connector: String, mappingVersion: String, sloSeconds: Double) {
        self.connector = connector
        self.mappingVersion = mappingVersion
        self.sloMs = Int64(sloSeconds * 1000)
        specRun = HeaderBlock([RecordHeader(name: HeaderNames.ceSpecVersion, value: Self.specVersion)])
        sourceRun = HeaderBlock([RecordHeader(HeaderNames.ceSource, "/syncline/connectors/\(connector)")])
        delayedTrue = HeaderBlock([RecordHeader(name: HeaderNames.delayed, value: Self.trueBytes)])
        delayedFalse = HeaderBlock([RecordHeader(name: HeaderNames.delayed, value: Self.falseBytes)])
        current = PartitionRuns()
    }

    /// - Parameters:
    ///   - consumeMs: when the hub consumed the input (`syncline-ingest-ts`).
    ///   - nowMs: when the output is produced; `syncline-delay-ms` is measured up to here.
    public mutating func stamp(_ output: OutputRecord, context: RecordContext, route routeName: String?, consumeMs: Int64, nowMs: Int64) -> OutputRecord {
        let input = context.input
        prepareRuns(route: routeName, topic: input.topic, partition: input.partition)
        if consumeMs != ingest.ms {
            ingest = (consumeMs, HeaderBlock([RecordHeader(name: HeaderNames.ingestTs, value: UTCTimestamp.bytes(ms: consumeMs))]))
        }
        let carried = output.headers
        var block = HeaderBlock(reservingCapacity: Self.capacity(carried)
            &+ specRun.bytes.count &+ sourceRun.bytes.count &+ current.type.bytes.count &+ current.lineage.bytes.count
            &+ ingest.run.bytes.count &+ delayedFalse.bytes.count &+ (context.eventID?.utf8.count ?? input.topic.utf8.count)
            &+ Self.variableBytes)
        var has = (id: false, source: false, type: false, time: false, spec: false)
        for header in carried where !Self.isHubOwned(header.name) {
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
            block.append(header)
        }
        if !has.spec { block.append(specRun) }
        if !has.id {
            let at = block.beginValue(nameRun: Self.idName)
            if var id = context.eventID {
                id.withUTF8 { block.appendValueBytes($0) }
            } else {
                var topic = input.topic
                topic.withUTF8 { block.appendValueBytes($0) }
                block.appendValueByte(UInt8(ascii: "-"))
                block.appendValueDecimal(Int64(input.partition))
                block.appendValueByte(UInt8(ascii: "-"))
                block.appendValueDecimal(input.offset)
            }
            block.endValue(at)
        }
        if !has.source { block.append(sourceRun) }
        if !has.type { block.append(current.type) }
        if !has.time, let time = context.sourceTimeMs ?? input.timestampMs {
            let at = block.beginValue(nameRun: Self.timeName)
            UTCTimestamp.withBytes(ms: time) { block.appendValueBytes($0) }
            block.endValue(at)
        }
        block.append(current.lineage)
        let offsetAt = block.beginValue(nameRun: Self.offsetName)
        block.appendValueDecimal(input.offset)
        block.endValue(offsetAt)
        block.append(ingest.run)
        if let source = context.sourceTimeMs {
            let delay = max(0, nowMs - source)
            let at = block.beginValue(nameRun: Self.delayName)
            block.appendValueDecimal(delay)
            block.endValue(at)
            block.append(delay > sloMs ? delayedTrue : delayedFalse)
        }
        return OutputRecord(topic: output.topic, key: output.key, value: output.value, headerBlock: block, partition: output.partition)
    }

    /// Makes `current` hold the runs of this route and input partition (built once, then kept).
    @inline(__always)
    private mutating func prepareRuns(route: String?, topic: String, partition: Int32) {
        if let key = current.key, key.partition == partition, key.route == route, key.topic == topic { return }
        let key = RunKey(route: route, topic: topic, partition: partition)
        if let existing = runs[key] {
            current = existing
            return
        }
        var type = HeaderBlock()
        type.append(name: HeaderNames.ceType, value: Array("syncline.\(connector).\(route ?? "route")".utf8))
        var lineage = HeaderBlock()
        lineage.append(name: HeaderNames.connector, value: Array(connector.utf8))
        lineage.append(name: HeaderNames.mappingVersion, value: Array(mappingVersion.utf8))
        if let route { lineage.append(name: HeaderNames.route, value: Array(route.utf8)) }
        lineage.append(name: HeaderNames.sourceTopic, value: Array(topic.utf8))
        lineage.append(name: HeaderNames.sourcePartition, value: Array(String(partition).utf8))
        current = PartitionRuns(key: key, type: type, lineage: lineage)
        // Bounded: routes × input partitions of one connector (a joined multi-route name counts once per combination).
        if runs.count >= 4096 { runs.removeAll(keepingCapacity: true) }
        runs[key] = current
    }

    private static func capacity(_ headers: [RecordHeader]) -> Int {
        var bytes = 0
        for header in headers { bytes &+= 8 &+ header.name.utf8.count &+ (header.value?.count ?? 0) }
        return bytes
    }

    /// Headers the hub writes itself (lineage, DLQ context): never copied from the input.
    static func isHubOwned(_ name: String) -> Bool {
        name.utf8.starts(with: "syncline-".utf8) && (HeaderNames.lineage.contains(name) || name.hasPrefix("syncline-error-"))
    }

    static let specVersion = Array("1.0".utf8)
    static let trueBytes = Array("true".utf8)
    static let falseBytes = Array("false".utf8)
}
