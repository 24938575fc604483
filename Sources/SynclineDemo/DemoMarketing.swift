import SynclineMapping

/// Landing-page and form submissions as the marketing platform sends them to
/// `raw.marketing.events.v1` (shapes of `connectors/samples/marketing/form/`).
struct DemoMarketing: Sendable {
    static let courses = ["Python 数据分析", "Java 全栈", "前端工程师", "AI 大模型应用", "产品经理实战", "UI 设计"]
    static let campaigns: [(String, String, String)] = [
        ("baidu", "cpc", "spring_sale_2024"), ("wechat", "social", "618_preheat"), ("douyin", "video", "summer_camp"),
        ("zhihu", "content", "career_switch"), ("bing", "cpc", "brand_2024"),
    ]
    static let levels = ["高", "中", "低", "很低"]
    private var sequence = 0

    mutating func make(nowMs: Int64, sourceMs: Int64, invalid: Bool, people: DemoPeople, random: inout DemoRandom) -> DemoRecord {
        sequence += 1
        let eventID = "mkt-ev-\(random.hex(8))"
        let existing = random.chance(0.3) ? random.pick(people.customers) : nil
        let mobile = existing?.mobile ?? people.strangerMobile(&random)
        let name = existing?.name ?? people.strangerName(&random)
        let (source, medium, campaign) = random.pick(Self.campaigns)
        let occurred: JSONValue = random.chance(0.7) ? .string(DemoTime.china(sourceMs)) : .number(String(sourceMs))
        var fields: [(String, JSONValue)] = [("姓名", .string(name))]
        let phoneKey = random.pick(["手机", "手机号", "联系电话"])
        let failure = invalid ? random.int(0...3) : -1
        if failure != 1 { fields.append((phoneKey, .string(DemoPeople.typed(mobile, &random)))) }
        if failure != 1 && random.chance(0.4) { fields.append(("邮箱", .string(existing?.email ?? "lead\(random.digits(5))@example.com"))) }
        fields.append(("所在城市", .string(random.pick(DemoPeople.cities))))
        fields.append(("意向课程", .string(random.pick(Self.courses))))
        fields.append(("客户_等级_v2", .string(failure == 0 ? "超高" : random.pick(Self.levels))))
        if random.chance(0.3) { fields.append(("公司", .string(existing?.company ?? random.pick(DemoPeople.companies)))) }
        if random.chance(0.5) { fields.append(("接受营销", .string(random.pick(["是", "否"])))) }
        let document = JSONWriter.bytes(orderedObject: [
            ("event_id", .string(eventID)), ("event_type", .string(random.pick(["form_submit", "form_submit", "landing_page_signup"]))),
            ("occurred_at", failure == 3 ? .string("昨天下午") : occurred),
            ("form_id", .string("lp-\(campaign)")), ("page_url", .string("https://edu.example.cn/lp/\(campaign)?utm_source=\(source)")),
            ("utm", .object(["source": .string(source), "medium": .string(medium), "campaign": .string(campaign)])),
            ("fields", .object(Dictionary(fields) { _, last in last })),
            ("consent", .object(["privacy": .bool(true), "contact": .bool(random.chance(0.8))])),
        ])
        var bytes = document
        if failure == 2 { bytes = Array(bytes.prefix(bytes.count / 2)) }  // a truncated body
        return DemoRecord(
            shape: "form_lead", connector: "marketing", topic: TopicNames.rawMarketing, key: eventID, value: bytes,
            invalid: invalid, late: nowMs - sourceMs > DemoTraffic.sloMs, sourceMs: sourceMs)
    }
}
