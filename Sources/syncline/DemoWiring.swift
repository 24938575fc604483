import Foundation
import SynclineDemo
import SynclineHub
import SynclineMapping

/// `syncline up --demo`: the demo traffic service, built from what the hub settled on (its Kafka)
/// and reading the hub's connectors for its live summary. The hub and the demo do not know each
/// other; this is where they meet.
enum DemoWiring {
    static func service(_ hub: HubContext, report: @escaping @Sendable (String) -> Void) -> DemoTrafficService {
        let backend = hub.backend
        return DemoTrafficService(kafka: hub.kafka, logger: hub.logger, status: { status(of: backend) }, report: report)
    }

    /// Each connector's line: live figures from its runtime, delayed records from the ledger's last day.
    static func status(of backend: HubAdminBackend) -> [DemoConnectorStatus] {
        let nowMs = EpochClock.nowMs()
        let health = (try? backend.channelHealth(sinceMs: nowMs - 86_400_000)) ?? []
        return backend.connectors().map { connector in
            DemoConnectorStatus(
                name: connector.name, state: connector.state, breaker: connector.breaker, recordsPerSecond: connector.recordsPerSecond,
                delivered: connector.produced, rejected: connector.deadLettered,
                delayed: health.first { $0.connector == connector.name }?.delayed ?? 0)
        }
    }
}
