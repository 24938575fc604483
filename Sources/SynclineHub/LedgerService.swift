public import Logging
public import ServiceLifecycle
public import SynclineStore
import Foundation
import SynclineMapping

/// Owns the ledger writer for the hub's lifetime: expires old rows hourly, and on shutdown
/// (after the connectors, which are stopped first) writes what is left.
public struct LedgerService: Service {
    /// The batching observer that feeds the ledger; closed (flushing what is queued) on shutdown.
    public let batches: LedgerWriter
    public let ledger: Ledger
    public let retentionMs: Int64
    public let logger: Logger

    public init(writer: LedgerWriter, ledger: Ledger, retentionMs: Int64, logger: Logger) {
        batches = writer
        self.ledger = ledger
        self.retentionMs = retentionMs
        self.logger = logger
    }

    public func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                try ledger.expireRows(olderThanMs: EpochClock.nowMs() - retentionMs)
            } catch {
                logger.error("ledger: cannot expire old rows: \(error)")
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(3600)) }
        }
        batches.close()
    }
}
