import Foundation
import SynclineStore
import Testing

@Suite("Weekly follow-up report from the identity index and the activity store")
struct IdentityFollowUpReportTests {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("followups-\(UUID().uuidString)")

    @Test("per owner, customers with a lead or ticket in the period, never-contacted first then longest since contact, at most five")
    func ranking() throws {
        let identity = try IdentityIndex(path: IdentityIndex.path(inStateDirectory: directory))
        let store = try ActivityStore(path: ActivityStore.path(inStateDirectory: directory))
        let day: Int64 = 86_400_000
        let now: Int64 = 100 * day
        var changes: [CustomerChange] = []
        for n in 0..<8 { changes.append(.upsert(CustomerIdentity(customerID: "A\(n)", owner: "alice", ownerName: "Alice"))) }
        changes.append(.upsert(CustomerIdentity(customerID: "B0", owner: "bob")))
        changes.append(.upsert(CustomerIdentity(customerID: "B1", owner: "bob")))
        try identity.applyChangelog(changes, positions: [])
        for n in 0..<8 { try store.recordInterest(customerID: "A\(n)", kind: n % 2 == 0 ? "lead" : "ticket", reference: "r\(n)", atMs: now - day) }
        try store.recordInterest(customerID: "A0", kind: "lead", reference: "r0", atMs: now - day)  // redelivered: counted once
        for n in 1..<8 { try store.recordContact(customerID: "A\(n)", atMs: now - Int64(n) * day, kind: "call", activityID: "call-\(n)") }
        try store.recordContact(customerID: "A7", atMs: now - 20 * day, kind: "chat", activityID: nil)  // older: ignored
        try store.recordInterest(customerID: "B0", kind: "lead", reference: "old", atMs: now - 30 * day)  // outside the period
        try store.recordInterest(customerID: "B1", kind: "ticket", reference: "t1", atMs: now - 2 * day)
        try store.recordInterest(customerID: "X9", kind: "lead", reference: "l9", atMs: now - day)  // unknown to the index

        let report = try FollowUpReport.build(activities: store, identity: identity, sinceMs: now - 7 * day, nowMs: now)
        #expect(report.owners.map(\.owner) == [FollowUpReport.noOwner, "alice", "bob"])
        let alice = try #require(report.owners.first { $0.owner == "alice" })
        #expect(alice.ownerName == "Alice")
        #expect(alice.customers.map(\.customerID) == ["A0", "A7", "A6", "A5", "A4"])
        #expect(alice.customers[0].lastContactMs == nil)
        #expect(alice.customers[0].leads == 1)
        #expect(alice.customers[1].lastContactMs == now - 7 * day)
        #expect(alice.customers[1].lastContactKind == "call")
        #expect(report.owners.first { $0.owner == "bob" }?.customers.map(\.customerID) == ["B1"])
    }
}
