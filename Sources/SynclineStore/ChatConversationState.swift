/// A conversation and the message ids folded into it: the value of one `hub.state.im.v1` record,
/// so a new owner of the partition knows what it already counted.
public struct ChatConversationState: Codable, Sendable, Equatable {
    public var conversation: ChatConversation
    public var messageIDs: [String]

    enum CodingKeys: String, CodingKey {
        case conversation, messageIDs = "message_ids"
    }

    public init(conversation: ChatConversation, messageIDs: [String]) {
        self.conversation = conversation
        self.messageIDs = messageIDs
    }

    /// The changelog key of a conversation.
    public static func key(_ conversationID: String) -> String { "conversation:\(conversationID)" }

    /// The changelog value (JSON, participants as JSON text: `StateChangelog`).
    public func encoded() throws -> [UInt8] { try StateChangelog.encode(self) }

    public static func decode(_ bytes: [UInt8]) throws -> ChatConversationState {
        try StateChangelog.decode(ChatConversationState.self, from: bytes)
    }
}
