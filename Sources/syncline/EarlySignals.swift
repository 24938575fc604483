import Dispatch
import Foundation
import ServiceLifecycle
import Synchronization

/// SIGTERM/SIGINT handling from the first instant of the process: a signal that arrives while the
/// hub is still starting (before its `ServiceGroup` listens) is remembered and turned into a
/// graceful shutdown as soon as the group exists, instead of killing the process without a drain.
final class EarlySignals: Sendable {
    private let state = Mutex<(group: ServiceGroup?, pending: Bool)>((nil, false))
    private nonisolated(unsafe) var sources: [any DispatchSourceSignal] = []

    init() {
        var made: [any DispatchSourceSignal] = []
        for number in [SIGTERM, SIGINT] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [weak self] in self?.received() }
            source.resume()
            made.append(source)
        }
        sources = made
    }

    private func received() {
        let group = state.withLock { current -> ServiceGroup? in
            if current.group == nil { current.pending = true }
            return current.group
        }
        if let group { Task { await group.triggerGracefulShutdown() } }
    }

    /// From now on signals shut `group` down gracefully; one that came earlier does so right away.
    func attach(_ group: ServiceGroup) {
        let pending = state.withLock { current -> Bool in
            current.group = group
            return current.pending
        }
        if pending { Task { await group.triggerGracefulShutdown() } }
    }
}
