public import SynclineMapping
public import SynclineStore
import Foundation

/// The im processor's stage: reads the decoded message, folds it into its conversation and writes
/// that durably (keyed by message id, so a redelivered message never counts twice) before it
/// returns. With a `changelog` topic, every conversation it changed is one output of this input
/// (to the input's partition number), so the offset is committed only once the state change is in
/// Kafka. Closed conversations and alerts come from `ConversationEmitter`.
public struct ChatAbsorbStage: StatefulRecordStage {
    public let name = "im"
    public let parser: ChatMessageParser
    public let folder: ConversationFolder
    public let store: ActivityStore
    public let linker: CustomerLinker
    /// `hub.state.<connector>.v1`, or nil when state is kept locally only (tests, `syncline map`).
    public let changelog: String?
    let clock: @Sendable () -> Int64

    public init(
        settings: IMSettings, store: ActivityStore, linker: CustomerLinker, connector: String = "im",
        changelog: String? = nil, clock: (@Sendable () -> Int64)? = nil
    ) {
        parser = ChatMessageParser(settings: settings, connector: connector)
        folder = ConversationFolder(settings: settings)
        self.store = store
        self.linker = linker
        self.changelog = changelog
        self.clock = clock ?? { EpochClock.nowMs() }
    }

    public func process(_ context: inout RecordContext) throws(Rejection) {
        guard let document = context.document else {
            throw Rejection(stage: .map, code: ErrorCode.notDecoded.rawValue, message: "connector \(parser.connector): the im stage ran without a decoded message")
        }
        let headerID = context.input.headers.last(named: HeaderNames.ceID)?.text
        guard var message = try parser.parse(document, headerEventID: headerID) else { return }
        // Re-keyed by the hub: the front loop wrote the message id it derived as ce_id.
        if TopicNames.isRepartition(context.input.topic), let headerID { message.messageID = headerID }
        let origin = RecordOrigin(context.input)
        message.sourceTopic = origin.topic
        message.sourcePartition = origin.partition
        message.sourceOffset = origin.offset
        if context.eventID == nil { context.eventID = message.messageID }
        context.sourceTimeMs = message.atMs
        context.sourceTimeProblem = nil
        context.routes = ["conversation"]
        let eventID = context.eventID
        let now = clock()
        let folder = folder
        let linker = linker
        let changed: [ChatConversationState]?
        do {
            changed = try store.absorbChatMessage(
                messageID: message.messageID, threadKey: message.threadKey, atMs: message.atMs,
                statePartition: context.input.partition
            ) { open, closed in
                folder.fold(message, eventID: eventID, open: open, latestClosed: closed, nowMs: now) { conversation in
                    ChatRecords.link(conversation, linker: linker)
                }
            }
        } catch {
            // Not absorbed: the record must not be committed as handled. The DLQ keeps its bytes for a replay.
            throw Rejection(
                stage: .link, code: ErrorCode.stateUnavailable.rawValue, field: nil,
                message: "connector \(parser.connector): cannot store the conversation state: \(error)")
        }
        guard let changelog, let changed else { return }
        for state in changed {
            do {
                context.outputs.append(OutputRecord(
                    topic: changelog, key: Array(ChatConversationState.key(state.conversation.conversationID).utf8),
                    value: try state.encoded(), partition: context.input.partition))
            } catch {
                throw Rejection(
                    stage: .link, code: ErrorCode.stateUnavailable.rawValue, field: nil,
                    message: "connector \(parser.connector): cannot encode the conversation state: \(error)")
            }
        }
    }
}
