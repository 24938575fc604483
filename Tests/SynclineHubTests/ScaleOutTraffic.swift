import Foundation
import SynclineMapping

/// The operator's scale-out scenario (issue 16): 20 customers, 30 WeCom conversations of 10
/// messages each (keyed by msgid, as WeCom's archive API delivers them), 10 Twilio calls (three
/// status callbacks each, keyed per request) and 20 Asterisk CDRs, in `rounds` rounds: round r
/// holds message r of every conversation and whatever call reports belong to it. Also what the
/// hub must make of it: the alert ids, each conversation's message count, each Twilio call's start.
struct ScaleOutTraffic {
    static let conversations = 30
    static let messagesPerConversation = 10
    static let customers = 20
    static let minute: Int64 = 60_000

    /// Yesterday 09:00 UTC: far enough in the past that the 10 min idle gap has passed.
    let dayStart: Int64
    var rounds: [[OutputRecord]] = Array(repeating: [], count: ScaleOutTraffic.messagesPerConversation)
    var expectedAlerts: Set<String> = []
    var twilioStart: [String: Int64] = [:]
    var twilioDuration: [String: Int] = [:]
    var conversationExternal: [Int: String] = [:]

    init(nowMs: Int64 = Int64(Date().timeIntervalSince1970 * 1000)) {
        dayStart = (nowMs / 86_400_000 - 1) * 86_400_000 + 9 * 3_600_000
        for conversation in 0..<Self.conversations {
            // The first 20 talk with customers (linked, no alert); the last 10 with strangers, 9 min each → alert.
            let external = conversation < Self.customers ? Self.customerExternal(conversation) : "wmStranger\(conversation)"
            conversationExternal[conversation] = external
            let staff = "staff\(conversation % 5)"
            for round in 0..<Self.messagesPerConversation {
                let fromExternal = (round + conversation) % 2 == 0
                let at = dayStart + Int64(conversation) * 15 * Self.minute + Int64(round) * Self.minute
                let id = "m-\(conversation)-\(round)"
                let body = #"{"msgid":"\#(id)","action":"send","from":"\#(fromExternal ? external : staff)","tolist":["\#(fromExternal ? staff : external)"],"roomid":"","msgtime":\#(at),"msgtype":"text","text":{"content":"第\#(round)句 of \#(conversation)"}}"#
                rounds[round].append(OutputRecord(topic: TopicNames.rawIM, key: Array(id.utf8), value: Array(body.utf8)))
            }
            if conversation >= Self.customers { expectedAlerts.insert("unlinked_conversation-wecom-\(staff)-\(external)-\(dayStart + Int64(conversation) * 15 * Self.minute)") }
        }
        for call in 0..<10 {
            let sid = "CA\(String(format: "%032d", call))"
            let from = call < 5 ? Self.customerPhone(call) : "+86139000000\(String(format: "%02d", call))"
            let start = dayStart + 20 * 60 * Self.minute + Int64(call) * 10 * Self.minute
            twilioStart[sid] = start
            twilioDuration[sid] = 40 + call
            for (round, status, offset, duration) in [(0, "ringing", 0, nil), (3, "in-progress", 7, nil), (7, "completed", 60 + call, Optional(40 + call))] {
                let stamp = UTCTimestamp.format(ms: start + Int64(offset) * 1000).addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
                var body = "CallSid=\(sid)&From=\(from.replacingOccurrences(of: "+", with: "%2B"))&To=%2B14155550199&CallStatus=\(status)&Direction=inbound&Timestamp=\(stamp)"
                if let duration { body += "&CallDuration=\(duration)" }
                rounds[round].append(OutputRecord(topic: TopicNames.rawTelephony, key: Array("req-\(sid)-\(status)".utf8), value: Array(body.utf8)))
            }
            if call >= 5 { expectedAlerts.insert("unlinked_call-\(sid)") }
        }
        for cdr in 0..<20 {
            let id = "pbx.\(cdr)"
            let src = cdr < 10 ? String(Self.customerPhone(cdr).dropFirst(3)) : "139100000\(String(format: "%02d", cdr))"
            let answered = cdr % 2 == 0
            let body = #"{"src":"\#(src)","dst":"8001","start":"2024-05-14 09:\#(String(format: "%02d", cdr)):00","answer":"\#(answered ? "2024-05-14 09:\(String(format: "%02d", cdr)):05" : "")","end":"2024-05-14 09:\#(String(format: "%02d", cdr + 1)):30","duration":90,"billsec":\#(answered ? 85 : 0),"disposition":"\#(answered ? "ANSWERED" : "NO ANSWER")","uniqueid":"\#(id)"}"#
            rounds[cdr < 10 ? 5 : 8].append(OutputRecord(topic: TopicNames.rawTelephony, key: Array(id.utf8), value: Array(body.utf8)))
            if cdr >= 10 && answered { expectedAlerts.insert("unlinked_call-\(id)") }
        }
    }

    static func customerExternal(_ n: Int) -> String { "wmCust\(String(format: "%02d", n))" }
    static func customerPhone(_ n: Int) -> String { "+86138000000\(String(format: "%02d", n))" }

    /// The CRM's customer changelog: C-00 … C-19, each with a phone and a WeCom external id.
    static func customerRecords() -> [OutputRecord] {
        let updated = UTCTimestamp.format(ms: Int64(Date().timeIntervalSince1970 * 1000))
        return (0..<customers).map { n in
            let id = "C-\(String(format: "%02d", n))"
            return OutputRecord(topic: TopicNames.customers, key: Array(id.utf8), value: Array(
                #"{"customer_id":"\#(id)","phones":["\#(customerPhone(n))"],"wecom_external_ids":["\#(customerExternal(n))"],"owner":"staff\#(n % 5)","updated_at":"\#(updated)"}"#.utf8))
        }
    }

    /// How many raw records of each raw topic rounds 0…`round` hold.
    func published(through round: Int) -> [String: Int] {
        var counts: [String: Int] = [:]
        for records in rounds.prefix(round + 1) {
            for record in records { counts[record.topic, default: 0] += 1 }
        }
        return counts
    }
}
