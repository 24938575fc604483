import Foundation

/// Runs CPU-heavy or blocking test work (generated corpora, oracles that wait on a subprocess) on a
/// thread of its own and awaits it. Swift Testing runs every test on the cooperative pool, which has
/// one thread per core (two here): a synchronous 5 s body holds half of it, and every timing-aware
/// test in the run (progress checks, breaker waits) stalls behind it. Return the findings and
/// `#expect` on them after the await: expectations need the test's task context.
public func offThePool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread {
            continuation.resume(with: Result { try body() })
        }
        thread.name = "syncline-test-heavy"
        thread.stackSize = 16 << 20
        thread.start()
    }
}
