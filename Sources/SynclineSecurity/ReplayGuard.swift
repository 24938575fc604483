import Synchronization

/// Remembers what accepted requests signed so one signed request is published once. Keys are the
/// decoded MAC bytes (plus the signed timestamp where the scheme has one), never the header text,
/// so re-encoding a signature does not make a new request.
///
/// A request `reserve`s its key before publishing, then `accept`s it once the brokers acknowledged
/// or `release`s it when publishing failed (so the sender's retry is accepted). While a key is
/// reserved a duplicate is told it is `inFlight` (the caller answers 409 + `Retry-After`), not that
/// it is a replay: the first attempt may still fail.
///
/// Keys are kept for twice the replay window: a timestamp may be up to one window ahead of the
/// hub's clock and is accepted until one window after it. Bounded: at most `capacity` keys.
public final class ReplayGuard: Sendable {
    /// What `reserve` found.
    public enum Reservation: Sendable, Equatable {
        /// The key is new and now reserved for this request.
        case reserved
        /// Another request with this key is being published now.
        case inFlight
        /// A request with this key was accepted within the window.
        case replayed
    }

    private struct Entry {
        var at: Double
        var inFlight: Bool
    }

    private struct State {
        var seen: [String: Entry] = [:]
        var order: [(key: String, at: Double)] = []
        var head = 0
    }

    private let retentionSeconds: Double
    private let capacity: Int
    private let state = Mutex(State())

    /// - Parameter windowSeconds: the accepted clock skew in either direction.
    public init(windowSeconds: Int, capacity: Int = 100_000) {
        self.retentionSeconds = 2 * Double(max(1, windowSeconds))
        self.capacity = max(1, capacity)
    }

    public func reserve(_ key: String, nowSeconds: Double) -> Reservation {
        state.withLock { state in
            let horizon = nowSeconds - retentionSeconds
            while state.head < state.order.count, state.order[state.head].at < horizon || state.seen.count > capacity {
                let old = state.order[state.head]
                if state.seen[old.key]?.at == old.at { state.seen[old.key] = nil }
                state.head += 1
            }
            if state.head > 1_024 && state.head * 2 > state.order.count {
                state.order.removeFirst(state.head)
                state.head = 0
            }
            if let entry = state.seen[key], entry.at >= horizon {
                return entry.inFlight ? .inFlight : .replayed
            }
            state.seen[key] = Entry(at: nowSeconds, inFlight: true)
            state.order.append((key, nowSeconds))
            return .reserved
        }
    }

    /// The reserved request was published: later requests with this key are replays.
    public func accept(_ key: String) {
        state.withLock { state in
            if var entry = state.seen[key] {
                entry.inFlight = false
                state.seen[key] = entry
            }
        }
    }

    /// Forgets a reserved key (its request was not accepted after all).
    public func release(_ key: String) {
        state.withLock { _ = $0.seen.removeValue(forKey: key) }
    }

    /// Keys remembered now.
    public var count: Int { state.withLock { $0.seen.count } }
}
