import SynclineMapping
import SynclineTestSupport

/// A deterministic generator of marketing-shaped records full of hostile values — unicode and
/// canonically-equivalent keys, escapes, \u surrogates, huge numbers, deep nesting, duplicate keys,
/// wrong types, empty and blank strings, nulls, odd whitespace, invalid UTF-8, truncated documents —
/// for the differential test of the compiled record path against the interpreter.
struct HostileCorpus {
    typealias Random = SplitMix64

    var random: Random

    init(seed: UInt64) {
        random = Random(state: seed)
    }

    /// JSON text fragments (already encoded), so hostile escapes and bytes can be placed exactly.
    static let fieldKeys = [
        "姓名", "名字", "联系人", "name", "Name", "手机", "手机号", "手机号码", "联系电话", "电话", "phone", "mobile", "邮箱", "电子邮箱",
        "email", "Email", "e_mail", "所在城市", "城市", "city", "意向课程", "意向产品", "interest", "客户_等级_v2", "客户等级", "行业",
        "所属行业", "industry", "公司", "单位", "学校", "公司名称", "company", "职位", "职务", "job_title", "接受营销", "同意接收营销信息",
        "同意隐私政策", "同意电话联系", "备注", "方便联系时间", "how_did_you_hear", "预算", "订阅", "café", "cafe\u{301}", "\u{212A}ey", "Key", "",
        " ", "\u{7F}x", "z", "Ａ", "\u{3000}", "\u{1F600}",
    ].map { "\"" + $0 + "\"" } + ["\"a\\u0062\"", "\"q\\\"uote\"", "\"\\u59d3\\u540d\"", "\"line\\nbreak\""]

    static let texts = [
        "韩梅梅", " 张三 ", "\u{3000}李四\u{3000}", "Lucy Wang", "", "   ", "138 0013 8000", "+86 139-1234-5678", "0086 138 0013 8000",
        "(021) 5888 1234", "+1 (415) 555-0100", "12345", "无", "电话稍后提供", "Li.Lei@Example.CN", " USER1@QQ.COM ", "bad@", "a@b",
        "高", "中", "低", "很低", " 高 ", "Ａ", "A", "e\u{301}", "\u{212A}", "\u{7F}", "😀", "北京", "上海", "是", "否", "yes", "no",
        "true", "1", "0", "on", "form_submit", "lead_submit", "2024-05-01T20:00:00+08:00", "2024-05-03 14:05:00",
        String(repeating: "长", count: 140), String(repeating: "x", count: 300), "a\u{2028}b", "\u{85}x\u{A0}",
    ].map { "\"" + $0 + "\"" } + [
        "\"a\\nb\"", "\"\\u00e9\"", "\"\\ud83d\\ude00\"", "\"\\/path\"", "\"x\\\"y\"", "\"\\u0000\"", "\"\\u9ad8\"", "\"\\t138 0013 8000\"",
    ]

    static let others = [
        "0", "-0", "13800138000", "8613800138000", "1e400", "123456789012345678901234567890", "1.5", "12.345", "99.90", "1e2", "-1", "1714557600000",
        "true", "false", "null", "{}", "[]", "{\"a\":1}", "[1,\"x\"]", "{\"姓名\":\"嵌套\"}", "[[[[[[[[[[]]]]]]]]]]",
    ]

    mutating func space() -> String {
        random.chance(80) ? "" : random.pick([" ", "\n", "\t", "\r\n", "  "])
    }

    mutating func value(textWeight: Int = 70) -> String {
        random.chance(textWeight) ? random.pick(Self.texts) : random.pick(Self.others)
    }

    mutating func object(_ members: [(String, String)]) -> String {
        var shuffled = members
        for index in shuffled.indices.reversed() where index > 0 { shuffled.swapAt(index, random.below(index + 1)) }
        let body = shuffled.map { space() + $0.0 + space() + ":" + space() + $0.1 + space() }.joined(separator: ",")
        return "{" + body + "}"
    }

    /// A usable value for a well-known key most of the time, a hostile one otherwise.
    mutating func usual(_ keys: [String], _ values: [String]) -> (String, String) {
        ("\"" + random.pick(keys) + "\"", random.chance(85) ? "\"" + random.pick(values) + "\"" : value())
    }

    mutating func fields() -> String {
        var members: [(String, String)] = []
        if random.chance(90) { members.append(usual(["姓名", "名字", "联系人", "name", "Name"], ["韩梅梅", " 张三 ", "Lucy Wang", "李\\u96f7"])) }
        if random.chance(80) {
            members.append(usual(["手机", "手机号", "联系电话", "phone", "mobile"], ["138 0013 8000", "+86 139-1234-5678", "0086 138 0013 8000", "010-6552 9988", "13800138000"]))
        }
        if random.chance(35) { members.append(usual(["邮箱", "email", "Email"], ["Li.Lei@Example.CN", " USER1@QQ.COM ", "lucy.wang@example.com"])) }
        if random.chance(60) { members.append(usual(["客户_等级_v2", "客户等级"], ["高", "中", "低", "很低", " 高 ", "A"])) }
        if random.chance(50) { members.append(usual(["所在城市", "城市", "city"], ["北京", "上海", "Shenzhen", "\\u3000广州"])) }
        var used = Set(members.map(\.0))
        for _ in 0..<random.below(6) {
            let key = random.pick(Self.fieldKeys)
            guard used.insert(key).inserted || random.chance(5) else { continue }
            members.append((key, value()))
        }
        return object(members)
    }

    mutating func document() -> String {
        var members: [(String, String)] = []
        if !random.chance(4) {
            members.append(("\"event_id\"", random.chance(85) ? "\"ev-\(random.below(100_000))\"" : random.pick(["\"\"", "null", "123", "true", "{}", "\"\\u0041bc\"", "\"  \""])))
        }
        if !random.chance(3) {
            let types = ["form_submit", "form_submitted", "landing_page_signup", "lead_submit", "other", "page_view", "", "form_submit ", "\u{212A}", "ｆｏｒｍ"]
            if random.chance(80) { members.append(("\"event_type\"", "\"" + random.pick(Array(types.prefix(4))) + "\"")) } else {
            members.append(("\"event_type\"", random.chance(80) ? "\"" + random.pick(types) + "\"" : random.pick(["null", "1", "[]", "\"form\\u005fsubmit\""])))
        } }
        if !random.chance(5) {
            let times = [
                "\"2024-05-01T20:00:00+08:00\"", "\"2024-05-03 14:05:00\"", "1714557600000", "\"1714557600\"", "\"not a time\"", "\"\"",
                "null", "\"2024-02-30T00:00:00Z\"", "1e20", "\"2024-05-02T09:30:15.250Z\"", "true",
            ]
            members.append(("\"occurred_at\"", random.pick(random.chance(70) ? Array(times.prefix(3)) : times)))
        }
        if random.chance(50) { members.append(("\"form_id\"", value())) }
        if random.chance(30) { members.append(("\"page_url\"", value())) }
        if random.chance(20) { members.append(("\"form\"", random.chance(80) ? object([("\"id\"", value()), ("\"page_url\"", value())]) : value())) }
        if random.chance(80) {
            let utm = random.chance(90)
                ? object(["source", "medium", "campaign", "term", "content"].filter { _ in random.chance(60) }.map {
                    random.chance(85) ? ("\"\($0)\"", "\"" + random.pick(["baidu", "wechat", "cpc", "spring_sale", "python 培训", " douyin "]) + "\"") : ("\"\($0)\"", value())
                })
                : value()
            members.append(("\"utm\"", utm))
        }
        if random.chance(85) { members.append(("\"fields\"", random.chance(95) ? fields() : value())) }
        if random.chance(50) {
            let consent = ["privacy", "marketing", "contact"].filter { _ in random.chance(70) }.map {
                ("\"\($0)\"", random.pick(random.chance(80) ? ["true", "false"] : ["\"yes\"", "\"是\"", "1", "0", "\"maybe\"", "null", "2"]))
            }
            members.append(("\"consent\"", object(consent)))
        }
        if random.chance(3) { members.append(("\"event_id\"", "\"dup\"")) }
        if random.chance(2) { members.append(("\"deep\"", String(repeating: "[", count: 70) + String(repeating: "]", count: 70))) }
        if random.chance(2) { members.append(("\"nested\"", object([("\"x\"", "1"), ("\"x\"", "2")]))) }
        return space() + object(members) + space()
    }

    /// The next record value (nil: a tombstone), with byte-level damage now and then.
    mutating func next() -> [UInt8]? {
        if random.chance(1) { return nil }
        var bytes = Array(document().utf8)
        switch random.below(100) {
        case 0..<4:
            bytes = Array(bytes.prefix(random.below(max(1, bytes.count))))
        case 4..<7:
            bytes.insert(random.pick([0xFF, 0xC3, 0x80, 0xED, 0xF4, 0x00, 0x1F]), at: random.below(bytes.count + 1))
        case 7..<8:
            bytes = Array("[".utf8) + bytes + Array("]".utf8)
        case 8..<9:
            bytes += Array(random.pick([" x", ",", "}", "\n{}"]).utf8)
        default:
            break
        }
        return bytes
    }

    /// Headers sometimes carrying ce_id / ce_time / traceparent.
    mutating func headers() -> [RecordHeader] {
        var headers: [RecordHeader] = []
        if random.chance(20) { headers.append(RecordHeader("ce_id", random.pick(["hdr-1", ""]))) }
        if random.chance(20) { headers.append(RecordHeader("ce_time", random.pick(["2024-05-01T00:00:00Z", "garbage", ""]))) }
        if random.chance(30) { headers.append(RecordHeader("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")) }
        return headers
    }
}
