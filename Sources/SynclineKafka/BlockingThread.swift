import Foundation

/// Runs blocking work (librdkafka polls, flushes, synchronous commits) on a fresh dedicated thread
/// and awaits it, so Swift's cooperative thread pool is never blocked.
public enum BlockingThread {
    public static func run<T: Sendable>(name: String = "syncline-blocking", _ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                do {
                    continuation.resume(returning: try body())
                } catch {
                    continuation.resume(throwing: error)
                }
            }
            thread.name = name
            thread.start()
        }
    }
}
