import SynclineMapping

/// Call records on `raw.telephony.calls.v1` (SPEC §5 shapes): Asterisk-style CDR JSON, one per
/// finished call, and Twilio status callbacks, form-encoded as Twilio posts them. A share of the
/// calls are with numbers no customer has; a connected one raises an `unlinked_call` alert.
struct DemoCalls: Sendable {
    mutating func make(nowMs: Int64, sourceMs: Int64, invalid: Bool, stranger: Bool, people: DemoPeople, random: inout DemoRandom) -> DemoRecord {
        let staff = random.pick(people.staff)
        let mobile = stranger ? people.strangerMobile(&random) : random.pick(people.customers).mobile
        let inbound = random.chance(0.6)
        let answered = random.chance(0.75)  // a stranger's connected call is worth an alert; a missed one is not
        let talk = answered ? random.int(15...600) : 0
        let ring = random.int(3...20)
        let endMs = sourceMs
        let startMs = endMs - Int64(ring + talk) * 1000
        if random.chance(0.6) {
            let id = "\(startMs / 1000).\(random.int(100...9999))"
            let (src, dst) = inbound ? (mobile, staff.phoneExtension) : (staff.phoneExtension, mobile)
            var disposition = answered ? "ANSWERED" : random.pick(["NO ANSWER", "BUSY"])
            if invalid { disposition = "ANSWERD" }
            var members: [(String, JSONValue)] = [
                ("uniqueid", .string(id)), ("linkedid", .string(id)), ("src", .string(src)), ("dst", .string(dst)),
                ("dcontext", .string(inbound ? "from-trunk" : "from-internal")),
                ("channel", .string(inbound ? "PJSIP/trunk-\(random.hex(8))" : "PJSIP/\(staff.phoneExtension)-\(random.hex(8))")),
                ("start", .string(DemoTime.china(startMs))),
                ("answer", .string(answered ? DemoTime.china(startMs + Int64(ring) * 1000) : "")),
                ("end", .string(DemoTime.china(endMs))), ("duration", .number(String(ring + talk))), ("billsec", .number(String(talk))),
                ("disposition", .string(disposition)), ("amaflags", .string("DOCUMENTATION")),
            ]
            if random.chance(0.5) { members.append(("direction", .string(inbound ? "inbound" : "outbound"))) }
            return DemoRecord(
                shape: "asterisk_cdr", connector: "telephony", topic: TopicNames.rawTelephony, key: id, value: JSONWriter.bytes(orderedObject: members),
                invalid: invalid, late: nowMs - sourceMs > DemoTraffic.sloMs, stranger: stranger, sourceMs: sourceMs)
        }
        let sid = "CA" + random.hex(32)
        let (from, to) = inbound ? ("+86" + mobile, staff.twilioNumber) : (staff.twilioNumber, "+86" + mobile)
        let fields: [(String, String)] = [
            ("AccountSid", "AC" + random.hex(32)), ("ApiVersion", "2010-04-01"), ("CallSid", sid),
            ("CallStatus", answered ? "completed" : random.pick(["no-answer", "busy"])),
            ("CallDuration", String(talk)), ("Direction", inbound ? "inbound" : "outbound-api"), ("From", from), ("To", to),
            ("SequenceNumber", "3"), ("Timestamp", invalid ? "soon" : DemoTime.rfc2822(endMs)),
        ]
        let body = fields.map { "\($0.0)=\(Self.formEncode($0.1))" }.joined(separator: "&")
        return DemoRecord(
            shape: "twilio_callback", connector: "telephony", topic: TopicNames.rawTelephony, key: sid, value: Array(body.utf8),
            invalid: invalid, late: nowMs - sourceMs > DemoTraffic.sloMs, stranger: stranger, sourceMs: sourceMs)
    }

    /// application/x-www-form-urlencoded value encoding.
    static func formEncode(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "*"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            case UInt8(ascii: " "): out += "+"
            default:
                let hex = String(byte, radix: 16, uppercase: true)
                out += "%" + (hex.count == 1 ? "0" : "") + hex
            }
        }
        return out
    }
}
