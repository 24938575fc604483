import Synchronization

/// How many leads each owner was given on the current local day, for owner capacity. Kept in
/// memory by each hub instance (it restarts at zero with the instance and is not shared between
/// instances: capacity is per instance and day — the simpler choice the README states).
final class AssignmentLoad: Sendable {
    private let state = Mutex<(day: String, counts: [String: Int])>(("", [:]))

    /// The counts of `day` (a new day starts from zero).
    func counts(on day: String) -> [String: Int] {
        state.withLock { $0.day == day ? $0.counts : [:] }
    }

    func add(owner: String, on day: String) {
        state.withLock { state in
            if state.day < day { state = (day, [:]) }
            if state.day == day { state.counts[owner, default: 0] += 1 }
        }
    }
}
