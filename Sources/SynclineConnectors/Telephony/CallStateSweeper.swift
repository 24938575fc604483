public import Logging
import SynclineMapping
public import SynclineRuntime
public import SynclineStore
import Foundation
import Synchronization

/// The telephony processor's timed emitter when its state lives in Kafka: about once a second it
/// forgets calls no report touched for `state_retention` — deleted locally and tombstoned in
/// `hub.state.<connector>.v1` — so the changelog (and a partition's restore) does not grow forever.
public final class CallStateSweeper: TimedEmitter, Sendable {
    public let store: ActivityStore
    public let changelog: String
    public let retentionMs: Int64
    let logger: Logger
    private let sequence = Atomic<Int>(0)

    public init(store: ActivityStore, changelog: String, retentionMs: Int64, logger: Logger) {
        self.store = store
        self.changelog = changelog
        self.retentionMs = retentionMs
        self.logger = logger
    }

    public func due(nowMs: Int64) -> [TimedOutput] {
        do {
            return try store.forgetCallState(updatedBeforeMs: nowMs - retentionMs).map { entry in
                let n = sequence.add(1, ordering: .relaxed).newValue
                return TimedOutput(id: "forget|\(entry.callKey)|\(n)", record: OutputRecord(
                    topic: changelog, key: Array(CallStage.stateKey(entry.callKey).utf8), value: nil,
                    partition: entry.partition >= 0 ? entry.partition : nil))
            }
        } catch {
            logger.error("telephony: cannot forget calls past their retention (tried again next second): \(error)")
            return []
        }
    }

    public func delivered(ids: [String]) {}
}
