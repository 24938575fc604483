public import SynclineMapping
import Foundation
import Synchronization

/// Appended to a declarative connector whose file lists `complaint_alert` under `after_routes:`
/// (one writing crm.customer_updates.v1): for each open
/// `complained` patch among a record's outputs it adds a `customer_complained` alert on
/// hub.alerts.v1 (`ComplaintAlert`), once per ticket. The alert id is the ticket's, so redeliveries
/// and other instances raise the same id (the topic is compacted, the admin API shows one row per
/// id); this instance also remembers the tickets it alerted on and does not repeat them.
/// It never rejects a record.
public final class ComplaintAlertStage: RecordStage {
    public let name = "complaint-alert"
    public let connector: String
    let nowMs: @Sendable () -> Int64
    private let alerted: Mutex<RecentKeys>

    public init(connector: String, remember: Int = 50_000, nowMs: (@Sendable () -> Int64)? = nil) {
        self.connector = connector
        self.nowMs = nowMs ?? { EpochClock.nowMs() }
        alerted = Mutex(RecentKeys(capacity: remember))
    }

    public func process(_ context: inout RecordContext) throws(Rejection) {
        guard context.outputs.contains(where: { $0.topic == TopicNames.customerUpdates }) else { return }
        let activity = context.outputs.first { $0.topic == TopicNames.activities }?.value.flatMap { try? JSONParser.parse($0) }
        var alerts: [OutputRecord] = []
        for output in context.outputs where output.topic == TopicNames.customerUpdates {
            guard let value = output.value, let patch = try? JSONParser.parse(value),
                  let alert = ComplaintAlert.from(patch: patch, activity: activity, connector: connector, raisedAtMs: nowMs()),
                  alerted.withLock({ $0.insert(alert.alertID) })
            else { continue }
            alerts.append(alert.record)
        }
        context.outputs += alerts
    }
}
