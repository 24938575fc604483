import SynclineStore

/// The telephony connector's partitioned state in `ActivityStore`: calls, restored from
/// `hub.state.telephony.v1` records (`CallState` JSON).
struct CallStateCache: PartitionStateCache {
    let store: ActivityStore

    func replace(partition: Int32, with entries: [(key: String, value: [UInt8])]) throws {
        let calls = try entries.map { try StateChangelog.decode(CallState.self, from: $0.value) }
        try store.replaceCallState(partition: partition, with: calls)
    }

    func drop(partitions: [Int32]) throws { try store.dropCallState(partitions: partitions) }

    func dropAll() throws { try store.dropAllCallState() }
}
