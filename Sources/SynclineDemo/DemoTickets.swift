import SynclineMapping

/// Help-desk webhooks (Zendesk-style `ticket.created/updated/status_changed/comment_added`) on
/// `raw.tickets.events.v1`, some of them complaints (shapes of `connectors/samples/tickets/zendesk/`).
struct DemoTickets: Sendable {
    struct Ticket: Sendable {
        var id: Int
        var subject: String
        var description: String
        var status: String
        var priority: String
        var type: String
        var tags: [String]
        var complaint: Bool
        var createdMs: Int64
        var assignee: String
        var requester: JSONValue
    }

    static let subjects: [(String, String, String)] = [
        ("无法登录学习平台", "登录时提示密码错误，重置后仍然不行。", "login"),
        ("发票抬头需要修改", "开票信息填错了公司名称，请协助重开。", "invoice"),
        ("课程视频无法播放", "第三章视频一直在加载。", "video"),
        ("想升级到高级班", "请问如何补差价升级？", "upgrade"),
        ("上课时间调整", "下周末无法参加，能否调到周三晚上？", "schedule"),
    ]
    static let complaints: [(String, String)] = [
        ("课程退款迟迟不到账", "申请退款两周了还没到账，非常不满意。"), ("老师多次迟到", "连续三次直播课老师迟到二十分钟。"),
        ("被重复扣费", "同一订单扣了两次款。"),
    ]
    private var open: [Ticket] = []
    private var nextID = 1_100

    mutating func make(nowMs: Int64, sourceMs: Int64, invalid: Bool, people: DemoPeople, random: inout DemoRandom) -> DemoRecord {
        let eventID = "zd-ev-\(random.hex(8))"
        let eventType: String
        var ticket: Ticket
        if open.isEmpty || random.chance(0.45) || open.count < 4 {
            ticket = newTicket(sourceMs: sourceMs, people: people, random: &random)
            eventType = "ticket.created"
            open.append(ticket)
            if open.count > 40 { open.removeFirst() }
        } else {
            let index = random.int(0...(open.count - 1))
            ticket = open[index]
            switch random.int(0...2) {
            case 0:
                eventType = "ticket.comment_added"
            case 1:
                eventType = "ticket.updated"
                ticket.priority = random.pick(["normal", "high", "urgent"])
            default:
                eventType = "ticket.status_changed"
                ticket.status = ticket.status == "new" ? "open" : random.pick(["pending", "solved"])
            }
            if ticket.status == "solved" { open.remove(at: index) } else { open[index] = ticket }
        }
        let failure = invalid ? random.int(0...2) : -1
        var ticketMembers: [(String, JSONValue)] = []
        if failure != 2 { ticketMembers.append(("id", .number(String(ticket.id)))) }
        ticketMembers += [
            ("subject", .string(ticket.subject)), ("description", .string(ticket.description)),
            ("status", .string(failure == 0 ? "escalated" : ticket.status)), ("priority", .string(ticket.priority)),
            ("type", .string(ticket.type)), ("tags", .array(ticket.tags.map { .string($0) })),
            ("created_at", .string(DemoTime.utc(ticket.createdMs))), ("updated_at", .string(DemoTime.utc(sourceMs))),
            ("assignee", .object(["id": .string(ticket.assignee)])), ("requester", ticket.requester),
            ("custom_fields", .object(ticket.complaint && ticket.tags.isEmpty ? ["is_complaint": .bool(true)] : [:])),
        ]
        if ticket.status == "solved" { ticketMembers.append(("solved_at", .string(DemoTime.utc(sourceMs)))) }
        var members: [(String, JSONValue)] = [
            ("event_id", .string(eventID)), ("event_type", .string(eventType)), ("occurred_at", .string(DemoTime.utc(sourceMs))),
            ("ticket", .object(Dictionary(ticketMembers) { _, last in last })),
        ]
        if eventType == "ticket.comment_added" {
            members.append(("comment", .object(["body": .string(random.pick(["已转交技术同事处理。", "请提供订单号。", "问题已复现，正在修复。"]))])))
        }
        let bytes = failure == 1
            ? Array("<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>".utf8)
            : JSONWriter.bytes(orderedObject: members)
        return DemoRecord(
            shape: ticket.complaint ? "ticket_complaint" : "ticket", connector: "tickets", topic: TopicNames.rawTickets,
            key: "ticket-\(ticket.id)", value: bytes, invalid: invalid, late: nowMs - sourceMs > DemoTraffic.sloMs, sourceMs: sourceMs)
    }

    private mutating func newTicket(sourceMs: Int64, people: DemoPeople, random: inout DemoRandom) -> Ticket {
        nextID += 1
        let complaint = random.chance(0.15)
        let requester: JSONValue
        if random.chance(0.9) {
            let customer = random.pick(people.customers)
            var members: [(String, JSONValue)] = [("id", .number(String(700 + random.int(0...999)))), ("name", .string(customer.name))]
            if random.chance(0.8) { members.append(("phone", .string(DemoPeople.typed(customer.mobile, &random)))) }
            members.append(("email", .string(customer.email)))
            if random.chance(0.5) { members.append(("external_id", .string(customer.helpdeskID))) }
            requester = .object(Dictionary(members) { _, last in last })
        } else {
            requester = .object([
                "id": .number(String(2000 + random.int(0...999))), "name": .string(people.strangerName(&random)),
                "email": .string("visitor\(random.digits(5))@example.com"),
            ])
        }
        let subject: String, description: String, tags: [String], type: String
        if complaint {
            (subject, description) = random.pick(Self.complaints)
            switch random.int(0...2) {
            case 0: (tags, type) = (["投诉", "refund"], "problem")
            case 1: (tags, type) = (["billing"], "complaint")
            default: (tags, type) = ([], "incident")  // flagged through custom_fields.is_complaint
            }
        } else {
            let topic = random.pick(Self.subjects)
            (subject, description, tags, type) = (topic.0, topic.1, [topic.2], random.pick(["question", "problem", "task"]))
        }
        return Ticket(
            id: nextID, subject: subject, description: description, status: "new",
            priority: complaint ? "urgent" : random.pick(["low", "normal", "normal", "high"]), type: type, tags: tags,
            complaint: complaint, createdMs: sourceMs, assignee: random.pick(people.staff).agentID, requester: requester)
    }
}
