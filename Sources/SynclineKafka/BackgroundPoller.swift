import Foundation
import Synchronization

/// A dedicated thread that runs a blocking poll call in a loop until stopped, so librdkafka's
/// blocking calls never occupy Swift's cooperative thread pool.
final class BackgroundPoller: @unchecked Sendable {
    private let running = Atomic<Bool>(true)
    private let finished = DispatchSemaphore(value: 0)

    init(name: String = "syncline-kafka-poll", _ body: @escaping @Sendable () -> Void) {
        let thread = Thread { [self] in
            while running.load(ordering: .acquiring) { body() }
            finished.signal()
        }
        thread.name = name
        thread.start()
    }

    /// Stops the loop and waits for the thread to finish its current poll.
    func stop() {
        guard running.exchange(false, ordering: .acquiringAndReleasing) else { return }
        finished.wait()
    }
}
