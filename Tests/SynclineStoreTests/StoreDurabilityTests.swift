import Foundation
import SynclineStore
import Testing

@Suite("Stores whose contents gate offset commits sync every transaction")
struct StoreDurabilityTests {
    @Test("the identity index and the activity store open real files with synchronous=FULL and owner-only permissions")
    func synchronousFull() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("syncline-durability-\(UUID().uuidString)")
        let identity = try IdentityIndex(path: IdentityIndex.path(inStateDirectory: directory))
        let activities = try ActivityStore(path: ActivityStore.path(inStateDirectory: directory))
        for (name, durability) in [("identity", try identity.durability()), ("activities", try activities.durability())] {
            // 2 = FULL, on the connection every write goes through.
            #expect(durability.synchronous == 2, "\(name) writer")
            #expect(durability.journalMode == "wal", "\(name) writer")
        }
        let mode = try FileManager.default.attributesOfItem(atPath: IdentityIndex.path(inStateDirectory: directory))[.posixPermissions] as? NSNumber
        #expect(mode?.intValue == 0o600)
    }
}
