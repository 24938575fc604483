import Foundation
import SynclineStore

/// The im connector's partitioned state in `ActivityStore`: conversations and their message ids,
/// restored from `hub.state.im.v1` records (`ChatConversationState` JSON).
struct ChatStateCache: PartitionStateCache {
    let store: ActivityStore

    func replace(partition: Int32, with entries: [(key: String, value: [UInt8])]) throws {
        let states = try entries.map { try ChatConversationState.decode($0.value) }
        try store.replaceChatState(partition: partition, with: states)
    }

    func drop(partitions: [Int32]) throws { try store.dropChatState(partitions: partitions) }

    func dropAll() throws { try store.dropAllChatState() }
}
