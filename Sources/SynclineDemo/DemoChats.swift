import SynclineMapping

/// WeCom chat-archive messages and DingTalk chat events on `raw.im.messages.v1` (SPEC §5 shapes),
/// grouped into conversations between a member of staff and a customer — or a stranger.
///
/// Most conversations are live (message times are now). Some are chat-archive backfills whose
/// message times started minutes ago (late records). Conversations with strangers run past the
/// 5-minute alert threshold: half of them live (a message every 40–70 s), half as a backfill of
/// the last 7 minutes, so an `unlinked_conversation` alert shows up within the first minute.
struct DemoChats: Sendable {
    struct Conversation: Sendable {
        var system: String  // wecom | dingtalk
        var id: String
        var staff: DemoStaff
        var contactID: String
        var stranger: Bool
        /// Message time of the next message; nil for live conversations (message time = now).
        var archiveCursorMs: Int64?
        var archiveGapMs: ClosedRange<Int>
        var dueMs: Int64
        var liveGapMs: ClosedRange<Int>
        var remaining: Int
        var sent: Int
    }

    static let customerLines = ["你好，我想了解一下课程价格", "周末班还有名额吗？", "好的，谢谢", "可以开发票吗？", "我考虑一下", "发我一份课程大纲吧", "能分期付款吗？"]
    static let staffLines = ["您好，请问有什么可以帮您？", "周末班还有 3 个名额", "可以的，开票信息发我一下", "大纲已发您邮箱", "支持 12 期免息"]
    static let strangerLines = ["在吗？", "你们这个怎么收费", "我是朋友介绍来的", "能便宜点吗", "加个微信详聊"]
    private(set) var conversations: [Conversation] = []
    private var sequence = 0

    /// Starts a backfilled stranger conversation (used once at start so an alert appears early).
    mutating func startStrangerBackfill(nowMs: Int64, people: DemoPeople, random: inout DemoRandom) {
        conversations.append(newConversation(nowMs: nowMs, stranger: true, backfill: true, people: people, random: &random))
    }

    /// The next chat message: continues a conversation that is due, or starts a new one.
    mutating func make(
        nowMs: Int64, invalid: Bool, lateShare: Double, strangerShare: Double, people: DemoPeople, random: inout DemoRandom
    ) -> DemoRecord {
        let due = conversations.indices.filter { conversations[$0].dueMs <= nowMs }
        let index: Int
        if let first = due.first, conversations.count >= 6 || random.chance(0.7) {
            index = due.count > 1 ? random.pick(due) : first
        } else {
            // A stranger conversation yields ~8 of its messages per customer conversation's ~5, hence the correction.
            let stranger = random.chance(strangerShare * 0.6)
            let backfill = random.chance(stranger ? 0.5 : lateShare * 1.4)
            conversations.append(newConversation(nowMs: nowMs, stranger: stranger, backfill: backfill, people: people, random: &random))
            index = conversations.count - 1
        }
        var conversation = conversations[index]
        let sourceMs = conversation.archiveCursorMs.map { min($0, nowMs) } ?? nowMs
        let record = message(conversation, sourceMs: sourceMs, nowMs: nowMs, invalid: invalid, random: &random)
        conversation.sent += 1
        conversation.remaining -= 1
        conversation.dueMs = nowMs + Int64(random.int(conversation.liveGapMs))
        if let cursor = conversation.archiveCursorMs {
            let next = cursor + Int64(random.int(conversation.archiveGapMs))
            conversation.archiveCursorMs = next >= nowMs ? nil : next  // caught up: the rest is live
        }
        if conversation.remaining <= 0 { conversations.remove(at: index) } else { conversations[index] = conversation }
        return record
    }

    private mutating func newConversation(
        nowMs: Int64, stranger: Bool, backfill: Bool, people: DemoPeople, random: inout DemoRandom
    ) -> Conversation {
        sequence += 1
        let system = random.chance(0.6) ? "wecom" : "dingtalk"
        let staff = random.pick(people.staff)
        let customer = random.pick(people.customers)
        let contact: String
        switch (system, stranger) {
        case ("wecom", true): contact = people.strangerWeComID(&random)
        case ("wecom", false): contact = customer.wecomExternalID
        case (_, true): contact = people.strangerDingTalkID(&random)
        default: contact = customer.dingtalkID
        }
        let id = system == "wecom" ? "\(staff.wecomID)|\(contact)" : "cid\(random.hex(20))"
        if stranger {
            return Conversation(
                system: system, id: id, staff: staff, contactID: contact, stranger: true,
                archiveCursorMs: backfill ? nowMs - 420_000 : nil, archiveGapMs: 50_000...70_000, dueMs: nowMs,
                liveGapMs: backfill ? 300...1_500 : 40_000...70_000, remaining: random.int(8...10), sent: 0)
        }
        return Conversation(
            system: system, id: id, staff: staff, contactID: contact, stranger: false,
            archiveCursorMs: backfill ? nowMs - Int64(random.int(150_000...480_000)) : nil, archiveGapMs: 5_000...20_000,
            dueMs: nowMs, liveGapMs: 1_000...6_000, remaining: random.int(3...8), sent: 0)
    }

    private func message(_ conversation: Conversation, sourceMs: Int64, nowMs: Int64, invalid: Bool, random: inout DemoRandom) -> DemoRecord {
        let fromStaff = conversation.sent % 2 == 1
        let line = conversation.stranger && !fromStaff
            ? random.pick(Self.strangerLines) : random.pick(fromStaff ? Self.staffLines : Self.customerLines)
        let document: [UInt8]
        if conversation.system == "wecom" {
            let from = fromStaff ? conversation.staff.wecomID : conversation.contactID
            let to = fromStaff ? conversation.contactID : conversation.staff.wecomID
            let failure = invalid ? random.int(0...1) : -1  // 0: no sender, 1: a message time people typed
            var members: [(String, JSONValue)] = [
                ("msgid", .string("\(random.digits(19))_\(sourceMs)_external")), ("action", .string("send")),
            ]
            if failure != 0 { members.append(("from", .string(from))) }
            members += [
                ("tolist", .array([.string(to)])), ("roomid", .string("")),
                ("msgtime", failure == 1 ? .string("昨天 15:04") : .number(String(sourceMs))),
                ("msgtype", .string("text")), ("text", .object(["content": .string(line)])),
            ]
            document = JSONWriter.bytes(orderedObject: members)
        } else {
            var members: [(String, JSONValue)] = [
                ("msgId", .string("msg\(random.hex(16))")), ("conversationType", .string("1")),
            ]
            if !invalid { members.append(("conversationId", .string(conversation.id))) }
            if fromStaff {
                members.append(("senderStaffId", .string(conversation.staff.dingtalkStaffID)))
                members.append(("senderNick", .string(conversation.staff.name)))
            } else {
                members.append(("senderId", .string(conversation.contactID)))
            }
            members += [
                ("createAt", .number(String(sourceMs))), ("msgtype", .string("text")), ("text", .object(["content": .string(line)])),
            ]
            document = JSONWriter.bytes(orderedObject: members)
        }
        return DemoRecord(
            shape: conversation.system == "wecom" ? "wecom_message" : "dingtalk_message", connector: "im", topic: TopicNames.rawIM,
            key: conversation.id, value: document, invalid: invalid, late: nowMs - sourceMs > DemoTraffic.sloMs,
            stranger: conversation.stranger, sourceMs: sourceMs)
    }
}
