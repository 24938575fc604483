public import SynclineMapping

/// Code-level connector logic that keeps state and emits records on its own schedule, not in reply
/// to one input: closed chat conversations, "unlinked" alerts. Its state must be durable (SQLite)
/// before its input is acknowledged, so committing the input loses nothing; what it emits is
/// re-emitted after a restart until `delivered` confirms it (at-least-once, keyed by `id`).
public protocol TimedEmitter: Sendable {
    /// Records due now. Called about once a second on the connector's thread; must be quick.
    /// The runtime never asks for an `id` again while one with that id is in flight.
    func due(nowMs: Int64) -> [TimedOutput]
    /// The brokers acknowledged these outputs (by id): forget or mark them emitted.
    func delivered(ids: [String])
}

/// One record a `TimedEmitter` wants produced, with an id stable across restarts.
public struct TimedOutput: Sendable, Equatable {
    public var id: String
    public var record: OutputRecord

    public init(id: String, record: OutputRecord) {
        self.id = id
        self.record = record
    }
}
