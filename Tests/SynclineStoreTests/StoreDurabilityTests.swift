import Foundation
import GRDB
import SynclineStore
import Testing

@Suite("Stores whose contents gate offset commits sync every transaction")
struct StoreDurabilityTests {
    @Test("the identity index and the activity store open real files with synchronous=FULL and owner-only permissions")
    func synchronousFull() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("syncline-durability-\(UUID().uuidString)")
        let identity = try IdentityIndex(path: IdentityIndex.path(inStateDirectory: directory))
        let activities = try ActivityStore(path: ActivityStore.path(inStateDirectory: directory))
        for (name, writer) in [("identity", identity.writer), ("activities", activities.writer)] {
            // 2 = FULL, on the connection every write goes through.
            #expect(try writer.write { try Int.fetchOne($0, sql: "PRAGMA synchronous") } == 2, "\(name) writer")
        }
        let mode = try FileManager.default.attributesOfItem(atPath: IdentityIndex.path(inStateDirectory: directory))[.posixPermissions] as? NSNumber
        #expect(mode?.intValue == 0o600)
    }
}
