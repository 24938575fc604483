import Foundation
import SynclineAdmin
import SynclineMapping
import SynclineStore
import Synchronization

/// An admin backend of plain values in memory: what the server asked of it is logged, so a test
/// sees which query a route made and with which arguments.
final class FakeAdminBackend: AdminBackend {
    struct StoreUnavailable: Error, CustomStringConvertible {
        var description: String { "disk I/O error at /var/lib/syncline/ledger.sqlite" }
    }

    /// The values the backend answers with; a test changes them before starting the server.
    struct Values: Sendable {
        var statuses: [ConnectorStatus] = [FakeAdminBackend.status("im"), FakeAdminBackend.status("telephony")]
        var reasons: [String] = []
        var metrics = "# TYPE syncline_records_consumed_total counter\nsyncline_records_consumed_total{connector=\"im\"} 42\n"
        var health = [ChannelHealth(connector: "im", consumed: 200, produced: 190, rejected: 10, delayed: 5, skewed: 1)]
        var samples = [DelayedSample(
            connector: "im", eventID: "evt-1", sourceTopic: "raw.im.messages.v1", sourcePartition: 3, sourceOffset: 17,
            outputTopic: "crm.activities.v1", sourceMs: 1_790_000_000_000, brokerMs: 1_790_000_001_000, consumeMs: 1_790_000_002_000,
            ackMs: 1_790_000_100_000, delayMs: 100_000, attribution: "upstream", mappingVersion: "im-7")]
        var deadLetterEntries = [DeadLetterEntry(
            connector: "signup", stage: "map", code: "invalid_phone", field: "phone", rule: "lead",
            message: "field phone: phone '12345' omitted; from li.lei@example.com", sourceTopic: "raw.marketing.events.v1",
            sourcePartition: 1, sourceOffset: 9, dlqTopic: "hub.dlq.signup.v1", dlqPartition: 0, dlqOffset: 4, mappingVersion: "t-1",
            eventID: "evt-dlq", failedAtMs: 1_790_000_000_000)]
        var alerts = [RecentAlert(
            value: Array(#"{"alert_id":"a-1","kind":"unlinked_call","message":"call with +14155550123 links to no customer","external_phone":"+14155550123","call_id":"CA-9"}"#.utf8),
            topic: "hub.alerts.v1", partition: 0, offset: 5, timestampMs: 1_790_000_000_000)]
        var percentiles = [DelayPercentiles(connector: "im", count: 12, p50Seconds: 0.4, p99Seconds: 2.5, maxSeconds: 3, windowSeconds: 300)]
        /// Every store query throws (a broken ledger).
        var failing = false
    }

    let values: Values
    private let log = Mutex<[String]>([])

    init(_ values: Values = Values()) {
        self.values = values
    }

    /// What the server asked, in order (`pause im`, `deadLetters signup invalid_phone 100`, …).
    var calls: [String] { log.withLock { $0 } }

    static func status(_ name: String) -> ConnectorStatus {
        ConnectorStatus(
            name: name, state: "running", breaker: "closed", mappingVersion: "\(name)-1", inputTopics: ["raw.\(name).v1"],
            assignedPartitions: 4, recordsPerSecond: 12.5, consumed: 100, produced: 98, deadLettered: 2, inFlight: 3,
            lagRecords: 7, lagSeconds: 0.5, fieldEmptyRates: ["city": 0.25])
    }

    private func note(_ call: String) { log.withLock { $0.append(call) } }
    private func known(_ name: String) -> Bool { values.statuses.contains { $0.name == name } }

    func connectors() -> [ConnectorStatus] { values.statuses }

    func pause(connector: String) async -> Bool {
        note("pause \(connector)")
        return known(connector)
    }

    func resume(connector: String) -> Bool {
        note("resume \(connector)")
        return known(connector)
    }

    func stop(connector: String) async -> Bool {
        note("stop \(connector)")
        return known(connector)
    }

    /// Only `telephony` counts as stopped by an operator.
    func start(connector: String) -> Bool {
        note("start \(connector)")
        return connector == "telephony"
    }

    func metricsText() -> [UInt8] { Array(values.metrics.utf8) }

    func readiness() -> [String] { values.reasons }

    func channelHealth(sinceMs: Int64) throws -> [ChannelHealth] {
        note("channelHealth \(sinceMs)")
        if values.failing { throw StoreUnavailable() }
        return values.health
    }

    func delayedSamples(connector: String?, limit: Int) throws -> [DelayedSample] {
        note("delayedSamples \(connector ?? "-") \(limit)")
        if values.failing { throw StoreUnavailable() }
        return values.samples.filter { connector == nil || $0.connector == connector }
    }

    func deadLetters(connector: String?, code: String?, limit: Int) throws -> [DeadLetterEntry] {
        note("deadLetters \(connector ?? "-") \(code ?? "-") \(limit)")
        if values.failing { throw StoreUnavailable() }
        return values.deadLetterEntries
    }

    func delayPercentiles() -> [DelayPercentiles] { values.percentiles }

    func recentAlerts(limit: Int) async throws -> [RecentAlert] {
        note("recentAlerts \(limit)")
        return values.alerts
    }
}
