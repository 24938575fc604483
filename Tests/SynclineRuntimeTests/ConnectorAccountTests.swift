import Synchronization
import SynclineMapping
@testable import SynclineRuntime
import Testing

/// The loop's one accounting type: every event recorded once shows in the turn handed to observers
/// and, where readers need it live, in the totals — and the two never disagree.
@Suite("Connector account")
struct ConnectorAccountTests {
    /// Collects the turns handed over.
    final class Collector: ConnectorObserver {
        let turns = Mutex<[ConnectorActivity]>([])
        func record(_ activity: ConnectorActivity) { turns.withLock { $0.append(activity) } }
    }

    @Test("an event is counted once into both views; totals add up across turns; alerts are not outputs")
    func bothViewsAgree() throws {
        let totals = ConnectorStats()
        var account = ConnectorAccount(connector: "marketing", totals: totals, nowMs: 1_000)
        let observer = Collector()

        account.consumed("raw.a", count: 3)
        account.consumed("raw.b", count: 0)
        account.outputAcknowledged("crm.leads.v1")
        account.outputAcknowledged("crm.leads.v1")
        account.outputAcknowledged("crm.customers.v1")
        account.outputAcknowledged("crm.leads.v1")
        account.timedOutputAcknowledged("crm.activities.v1")
        account.alertAcknowledged("hub.alerts.v1")
        account.deadLettered(DeadLetterNotice(
            connector: "marketing", rejection: Rejection(stage: .validate, code: "required_missing", message: "m"),
            sourceTopic: "raw.a", sourcePartition: 0, sourceOffset: 1, dlqTopic: "hub.dlq.marketing.v1", dlqPartition: 0,
            dlqOffset: 0, mappingVersion: "7", eventID: nil, failedAtMs: 1_000))
        account.deadLettered(nil)
        account.retried()
        account.commitFailed()
        account.committed(4)
        account.expired("raw.a", count: 7)
        account.handled(3)
        account.inFlight(5)
        account.inFlight(-2)
        account.publish(to: observer, nowMs: 2_000)

        let first = try #require(observer.turns.withLock { $0.first })
        #expect(first.consumed == ["raw.a": 3])
        #expect(first.produced == ["crm.leads.v1": 3, "crm.customers.v1": 1, "crm.activities.v1": 1, "hub.alerts.v1": 1])
        #expect(first.rejected == [.init(stage: .validate, code: "required_missing"): 1])
        #expect(first.deadLetters.map(\.sourceOffset) == [1], "the ledger entry of the one DLQ record with its rejection")
        #expect(first.retries == 1 && first.commitFailures == 1 && first.committed == 4 && first.expired == ["raw.a": 7])
        let snapshot = totals.snapshot
        #expect(snapshot.consumed == 3)
        #expect(snapshot.produced == 5, "outputs and timed outputs, not the alert")
        #expect(snapshot.deadLettered == 2)
        #expect(snapshot.retries == 1 && snapshot.commitFailures == 1 && snapshot.committed == 4 && snapshot.expired == 7)
        #expect(snapshot.handled == 3 && snapshot.inFlight == 3)

        // A new turn starts empty; the totals carry on.
        account.consumed("raw.a", count: 2)
        account.committed(2)
        account.publish(to: observer, nowMs: 3_000)
        let turns = observer.turns.withLock { $0 }
        #expect(turns.count == 2)
        #expect(turns[1].consumed == ["raw.a": 2] && turns[1].committed == 2 && turns[1].produced.isEmpty && turns[1].atMs == 2_000)
        #expect(totals.snapshot.consumed == 5 && totals.snapshot.committed == 6)
    }

    @Test("an empty turn is not handed over; field completeness reaches the totals once per turn")
    func emptyTurnsAndFields() throws {
        let totals = ConnectorStats()
        var account = ConnectorAccount(connector: "marketing", totals: totals, nowMs: 0)
        let observer = Collector()
        account.publish(to: observer, nowMs: 1)
        #expect(observer.turns.withLock { $0.isEmpty })

        let labels = FieldLabels(names: ["crm.leads.v1.email", "crm.leads.v1.phone"])
        for filled in [true, false, false] {
            var marks = FieldMarks()
            marks.mark(0, filled: true, labels: labels)
            marks.mark(1, filled: filled, labels: labels)
            account.countFields(marks)
        }
        account.publish(to: observer, nowMs: 2)
        let turn = try #require(observer.turns.withLock { $0.first })
        #expect(turn.fieldSeen == ["crm.leads.v1.email": 3, "crm.leads.v1.phone": 3])
        #expect(turn.fieldEmpty == ["crm.leads.v1.phone": 2])
        let rates = totals.fieldEmptyRates
        #expect(rates["crm.leads.v1.email"] == 0)
        #expect(abs((rates["crm.leads.v1.phone"] ?? 0) - 2.0 / 3.0) < 1e-9)
    }
}
