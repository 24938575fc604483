import Synchronization

/// Remembers the signatures of accepted requests for the replay window so the same signed request
/// is accepted once. A request `reserve`s its key before publishing, then `release`s it when
/// publishing failed (so the sender's retry is accepted) or leaves it reserved when it succeeded.
/// Bounded: at most `capacity` keys; the oldest are forgotten first.
public final class ReplayGuard: Sendable {
    private struct State {
        var seen: [String: Double] = [:]
        var order: [(key: String, at: Double)] = []
        var head = 0
    }

    private let windowSeconds: Double
    private let capacity: Int
    private let state = Mutex(State())

    public init(windowSeconds: Int, capacity: Int = 100_000) {
        self.windowSeconds = Double(windowSeconds)
        self.capacity = max(1, capacity)
    }

    /// False when `key` was seen within the window (a replay); otherwise records it and returns true.
    public func reserve(_ key: String, nowSeconds: Double) -> Bool {
        state.withLock { state in
            while state.head < state.order.count, state.order[state.head].at < nowSeconds - windowSeconds || state.seen.count > capacity {
                let old = state.order[state.head]
                if state.seen[old.key] == old.at { state.seen[old.key] = nil }
                state.head += 1
            }
            if state.head > 1_024 && state.head * 2 > state.order.count {
                state.order.removeFirst(state.head)
                state.head = 0
            }
            if let at = state.seen[key], at >= nowSeconds - windowSeconds { return false }
            state.seen[key] = nowSeconds
            state.order.append((key, nowSeconds))
            return true
        }
    }

    /// Forgets a reserved key (its request was not accepted after all).
    public func release(_ key: String) {
        state.withLock { _ = $0.seen.removeValue(forKey: key) }
    }

    /// Keys remembered now.
    public var count: Int { state.withLock { $0.seen.count } }
}
