public import SynclineMapping
import Foundation

/// Reads a decoded WeCom chat-archive message (`msgid`, `action`, `from`, `tolist`, `roomid`,
/// `msgtime`, `msgtype`, `text.content`) or DingTalk chat event (`conversationId`, `senderStaffId`
/// or `senderId`, `createAt`, `msgtype`, `text.content`, optional `msgId`, `conversationType`
/// "2" for groups) into a `ChatMessage`. Returns nil for WeCom actions other than `send`
/// (recalls and switches count as no message). Anything else is rejected at `map`.
public struct ChatMessageParser: Sendable {
    public let settings: IMSettings
    public let connector: String

    public init(settings: IMSettings, connector: String = "im") {
        self.settings = settings
        self.connector = connector
    }

    func reject(_ code: ErrorCode, _ field: String?, _ reason: String) -> Rejection {
        Rejection(stage: .map, code: code.rawValue, field: field, message: "connector \(connector): \(reason)")
    }

    public func parse(_ document: JSONValue, headerEventID: String? = nil) throws(Rejection) -> ChatMessage? {
        if document["msgid"] != nil { return try parseWeCom(document) }
        if document["conversationId"] != nil { return try parseDingTalk(document, headerEventID: headerEventID) }
        throw reject(.noRoute, nil, "neither a WeCom chat-archive message (msgid) nor a DingTalk chat event (conversationId)")
    }

    func text(_ document: JSONValue, _ key: String) -> String? {
        guard let value = document[key] else { return nil }
        let text = FieldConversion.scalarText(value).map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        return text?.isEmpty == false ? text : nil
    }

    func time(_ document: JSONValue, _ key: String) throws(Rejection) -> Int64 {
        guard let value = document[key], !value.isEmptyValue else { throw reject(.requiredMissing, key, "'\(key)' is missing") }
        if let literal = value.numberText, let ms = try? TimestampParser.epochMilliseconds(literal) { return ms }
        if let text = value.stringValue, let ms = try? TimestampParser.utc.milliseconds(text) { return ms }
        throw reject(.invalidTimestamp, key, "'\(key)' is not a timestamp: \(value.shortDisplay)")
    }

    func content(_ document: JSONValue) -> String {
        let type = text(document, "msgtype") ?? "text"
        if let body = document["text"]?["content"]?.stringValue ?? document["content"]?.stringValue ?? document["text"]?.stringValue {
            return body
        }
        return "[\(type)]"
    }

    func phone(_ document: JSONValue) -> String? {
        text(document, "phone") ?? text(document, "mobile") ?? text(document, "senderMobile")
    }

    func parseWeCom(_ document: JSONValue) throws(Rejection) -> ChatMessage? {
        guard let id = text(document, "msgid") else { throw reject(.requiredMissing, "msgid", "'msgid' is empty") }
        if let action = text(document, "action"), action != "send" { return nil }
        guard let from = text(document, "from") else { throw reject(.requiredMissing, "from", "'from' is missing") }
        var receivers: [String] = []
        switch document["tolist"] {
        case .array(let items)?: receivers = items.compactMap { $0.stringValue }.filter { !$0.isEmpty }
        case .string(let single)?: receivers = single.isEmpty ? [] : [single]
        case nil, .null?: break
        case let other?: throw reject(.wrongType, "tolist", "'tolist' must be a list of ids, found \(other.kindName)")
        }
        let at = try time(document, "msgtime")
        var participants: [String] = []
        for id in [from] + receivers where !participants.contains(id) { participants.append(id) }
        let staff = participants.first { !settings.isExternal($0) }
        let external = participants.first { settings.isExternal($0) }
        let room = text(document, "roomid")
        let thread: String
        if let room {
            thread = "wecom:room:\(room)"
        } else if let external {
            thread = "wecom:\(staff ?? "")|\(external)"
        } else {
            thread = "wecom:" + participants.sorted().joined(separator: "|")
        }
        return ChatMessage(
            sourceSystem: "wecom", messageID: "wecom:\(id)", threadKey: thread, sender: from,
            senderIsStaff: !settings.isExternal(from), participants: participants, staffID: staff, externalID: external,
            roomID: room, phone: phone(document), atMs: at, text: content(document))
    }

    func parseDingTalk(_ document: JSONValue, headerEventID: String?) throws(Rejection) -> ChatMessage? {
        guard let conversation = text(document, "conversationId") else {
            throw reject(.requiredMissing, "conversationId", "'conversationId' is empty")
        }
        let staffSender = text(document, "senderStaffId")
        guard let sender = staffSender ?? text(document, "senderId") ?? text(document, "senderUnionId") else {
            throw reject(.requiredMissing, "senderStaffId", "neither 'senderStaffId' nor 'senderId' says who wrote")
        }
        let at = try time(document, "createAt")
        let body = content(document)
        let id = text(document, "msgId") ?? headerEventID
            ?? "\(conversation):\(sender):\(at):\(Self.fingerprint(body))"
        let isGroup = text(document, "conversationType") == "2"
        return ChatMessage(
            sourceSystem: "dingtalk", messageID: "dingtalk:\(id)", threadKey: "dingtalk:\(conversation)", sender: sender,
            senderIsStaff: staffSender != nil, participants: [sender], staffID: staffSender,
            externalID: staffSender == nil ? sender : nil, roomID: isGroup ? conversation : nil, phone: phone(document),
            atMs: at, text: body)
    }

    /// A short stable fingerprint of a text (FNV-1a, 64 bits), for ids derived from content.
    static func fingerprint(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return String(hash, radix: 16)
    }
}
