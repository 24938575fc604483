import SynclineMapping
@testable import SynclineRuntime
import SynclineTestSupport
import Testing

/// The lineage stamper writes headers into one prebuilt-run `HeaderBlock`; the reference stamper
/// (the previous implementation, one `RecordHeader` per header) is the oracle: over generated
/// records — event ids present or not, unicode, odd partitions and offsets, source times missing,
/// negative or far away, carried CloudEvents and hub-owned headers, routes changing — both must
/// give the same records with the same headers in the same order.
@Suite struct LineageStamperOracleTests {
    typealias Generator = SplitMix64

    static let texts = ["", "ev-1", "事件-42-客户", "a\u{0}b", String(repeating: "x", count: 300), "e\u{301}", "🙂", "lead-000123"]
    static let topics = ["raw.marketing.events.v1", "raw.t", "主题", ""]
    static let routes: [String?] = [nil, "leads", "tickets,complaints", "路由", ""]
    static let carriedNames = [
        HeaderNames.traceparent, HeaderNames.tracestate, HeaderNames.ceID, HeaderNames.ceSource, HeaderNames.ceType,
        HeaderNames.ceTime, HeaderNames.ceSpecVersion, HeaderNames.connector, HeaderNames.sourceOffset, HeaderNames.delayed,
        HeaderNames.errorCode, HeaderNames.replayCount, "x-upstream", "",
    ]

    static func pick<T>(_ items: [T], _ random: inout Generator) -> T { items[Int(random.next() % UInt64(items.count))] }

    static func time(_ random: inout Generator) -> Int64? {
        switch random.next() % 6 {
        case 0: return nil
        case 1: return -Int64(random.next() % 100_000_000_000)
        case 2: return Int64(random.next() % 253_402_300_799_999)
        case 3: return 0
        default: return 1_764_000_000_000 + Int64(random.next() % 10_000_000)
        }
    }

    static func header(_ random: inout Generator) -> RecordHeader {
        let name = pick(carriedNames, &random)
        switch random.next() % 4 {
        case 0: return RecordHeader(name: name, value: nil)
        case 1: return RecordHeader(name: name, value: [])
        default: return RecordHeader(name, pick(texts, &random))
        }
    }

    @Test func prebuiltHeaderBlocksMatchTheReferenceStamper() {
        var random = Generator(state: 20_261_201)
        for connector in ["marketing", "客服", ""] {
            var stamper = LineageStamper(connector: connector, mappingVersion: "v\(connector.count)-abc", sloSeconds: 90)
            var reference = ReferenceLineageStamper(connector: connector, mappingVersion: "v\(connector.count)-abc", sloSeconds: 90)
            var consumeMs: Int64 = 1_764_000_000_000
            for index in 0..<5_000 {
                if random.next() % 50 == 0 { consumeMs += Int64(random.next() % 2_000) }
                let partition: Int32 = random.next() % 10 == 0 ? Int32.max - Int32(random.next() % 3) : Int32(random.next() % 8)
                let offset: Int64 = random.next() % 10 == 0 ? Int64.max - Int64(random.next() % 5) : Int64(random.next() % 1_000_000)
                let input = InputRecord(
                    topic: Self.pick(Self.topics, &random), partition: partition, offset: offset, key: [1, 2],
                    value: Array("{}".utf8), headers: [], timestampMs: Self.time(&random))
                var context = RecordContext(input: input)
                context.eventID = random.next() % 4 == 0 ? nil : Self.pick(Self.texts, &random) + String(index)
                context.sourceTimeMs = Self.time(&random)
                let carried = (0..<Int(random.next() % 5)).map { _ in Self.header(&random) }
                // Some outputs name their partition (a changelog record follows its input's): it must survive stamping.
                let explicit: Int32? = random.next() % 3 == 0 ? Int32(random.next() % 12) : nil
                let output = OutputRecord(
                    topic: "crm.leads.v1", key: Array("k\(index)".utf8), value: Array("{\"i\":\(index)}".utf8), headers: carried, partition: explicit)
                let route = Self.pick(Self.routes, &random)
                let nowMs = consumeMs + Int64(random.next() % 200_000)
                let mine = stamper.stamp(output, context: context, route: route, consumeMs: consumeMs, nowMs: nowMs)
                let theirs = reference.stamp(output, context: context, route: route, consumeMs: consumeMs, nowMs: nowMs)
                #expect(mine.headerBlock != nil)
                #expect(mine.headers == theirs.headers, "record \(index): \(mine.headers) vs \(theirs.headers)")
                #expect(mine == theirs)
                #expect(mine.partition == explicit)
                if mine != theirs { return }
            }
        }
    }

    @Test func headerBlockRoundTrips() {
        var random = Generator(state: 7)
        for _ in 0..<2_000 {
            let headers = (0..<Int(random.next() % 20)).map { _ in Self.header(&random) }
            let block = HeaderBlock(headers)
            #expect(block.count == headers.count)
            #expect(block.headers == headers)
            var pieces = HeaderBlock()
            for header in headers { pieces.append(HeaderBlock([header])) }
            #expect(pieces == block)
            var record = OutputRecord(topic: "t", key: nil, value: nil, headerBlock: block)
            #expect(record == OutputRecord(topic: "t", key: nil, value: nil, headers: headers))
            record.headers.append(RecordHeader("x", "y"))
            #expect(record.headerBlock == nil)
            #expect(record.headers == headers + [RecordHeader("x", "y")])
        }
    }

    @Test func decimalsAndTimestampsAreWrittenWithoutStrings() {
        for value: Int64 in [0, 7, -1, 10, 99, 100, Int64.max, Int64.min, -9_000_000_000] {
            var block = HeaderBlock()
            let at = block.beginValue(named: "n")
            block.appendValueDecimal(value)
            block.endValue(at)
            #expect(block.headers == [RecordHeader("n", String(value))])
        }
        for ms: Int64 in [0, -1, 1_764_000_000_123, 253_402_300_799_999, -62_135_596_800_001] {
            #expect(UTCTimestamp.withBytes(ms: ms) { Array($0) } == UTCTimestamp.bytes(ms: ms))
        }
    }
}
