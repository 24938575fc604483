import Foundation
import SynclineStore
import SynclineTestSupport
import Testing

@Suite("Identity index on a real SQLite file")
struct IdentityIndexTests {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("identity-\(UUID().uuidString)")

    func open() throws -> IdentityIndex { try IdentityIndex(path: IdentityIndex.path(inStateDirectory: directory)) }

    static func customer(_ id: String, phones: [String] = [], emails: [String] = [], wecom: [String] = [], dingtalk: [String] = [], owner: String? = "sales-1", updated: Int64 = 1) -> CustomerIdentity {
        CustomerIdentity(
            customerID: id, name: "Customer \(id)", owner: owner, ownerName: owner.map { "Rep \($0)" }, updatedMs: updated,
            identifiers: phones.map { .init(.phone, $0) } + emails.map { .init(.email, $0) } + wecom.map { .init(.wecomExternalID, $0) }
                + dingtalk.map { .init(.dingtalkID, $0) })
    }

    @Test("an update replaces a customer's identifiers; a tombstone removes them; both survive a reopen")
    func updatesAndTombstones() throws {
        let index = try open()
        try index.applyChangelog([
            .upsert(Self.customer("C1", phones: ["+8613800138000"], emails: ["a@x.cn"], wecom: ["wmA"])),
            .upsert(Self.customer("C2", dingtalk: ["dt-2"])),
        ], positions: [("crm.customers.v1", 0, 2)])
        #expect(try index.customerID(.phone, "+8613800138000") == "C1")
        #expect(try index.customerID(.email, "a@x.cn") == "C1")
        #expect(try index.customerID(.wecomExternalID, "wmA") == "C1")
        #expect(try index.customerID(.dingtalkID, "dt-2") == "C2")

        // C1 changes phone: the old one no longer links.
        try index.applyChangelog([.upsert(Self.customer("C1", phones: ["+8613900139000"], wecom: ["wmA"], updated: 2))], positions: [("crm.customers.v1", 0, 3)])
        #expect(try index.customerID(.phone, "+8613800138000") == nil)
        #expect(try index.customerID(.phone, "+8613900139000") == "C1")
        #expect(try index.customerID(.email, "a@x.cn") == nil)
        // Tombstone for C2.
        try index.applyChangelog([.remove(customerID: "C2")], positions: [("crm.customers.v1", 1, 7)])
        #expect(try index.customerID(.dingtalkID, "dt-2") == nil)
        #expect(try index.customer("C2") == nil)

        let reopened = try open()
        #expect(try reopened.customerID(.phone, "+8613900139000") == "C1")
        #expect(try reopened.customer("C1")?.owner == "sales-1")
        #expect(try reopened.positions(topic: "crm.customers.v1") == [0: 3, 1: 7])
        #expect(try reopened.counts().customers == 1)
    }

    @Test("link tries identifiers in order and says which one linked; a shared identifier links to the newest customer")
    func linkOrderAndSharing() throws {
        let index = try open()
        try index.applyChangelog([
            .upsert(Self.customer("OLD", phones: ["+8610000000000"], updated: 10)),
            .upsert(Self.customer("NEW", phones: ["+8610000000000"], emails: ["n@x.cn"], updated: 20)),
        ], positions: [])
        #expect(try index.customerID(.phone, "+8610000000000") == "NEW")
        let match = try index.link([.init(.wecomExternalID, "wmNone"), .init(.email, "n@x.cn"), .init(.phone, "+8610000000000")])
        #expect(match == IdentityMatch(customerID: "NEW", linkedBy: .email))
        try index.applyChangelog([.remove(customerID: "NEW")], positions: [])
        #expect(try index.customerID(.phone, "+8610000000000") == "OLD")
    }

    @Test("40,000 lookups against 20,000 customers (the hot path): hits and misses")
    func lookupSpeed() async throws {
        // Off the cooperative pool: seconds of SQLite work in a debug build.
        let (found, elapsed) = try await offThePool { () throws -> (Int, Duration) in
            let index = try self.open()
            var changes: [CustomerChange] = []
            for n in 0..<20_000 {
                changes.append(.upsert(Self.customer("C\(n)", phones: ["+86138\(String(format: "%08d", n))"], emails: ["c\(n)@x.cn"], wecom: ["wm\(n)"])))
            }
            try index.applyChangelog(changes, positions: [])
            var found = 0
            let elapsed = ContinuousClock().measure {
                for key in 0..<40_000 {  // keys below 20,000 hit, the rest miss
                    if (try? index.link([.init(.wecomExternalID, "wm\(key)"), .init(.phone, "+86138\(String(format: "%08d", key))")])) != nil { found += 1 }
                }
            }
            return (found, elapsed)
        }
        #expect(found == 20_000)
        let micros = Double(elapsed / .microseconds(1)) / 40_000
        FileHandle.standardError.write(Data("identity index: 40000 link lookups in \(elapsed) (\(String(format: "%.1f", micros)) µs each)\n".utf8))
        // Speed is the benchmark's business (ops/bench), not a timed assertion on a shared machine.
    }
}
