import Foundation
import GRDB
import SynclineStore
import Testing

@Suite("List columns: GRDB stores participants and call events as JSON; the state changelog keeps them as JSON text")
struct StateListColumnTests {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("state-lists-\(UUID().uuidString)")
    /// Ids with a slash and non-ASCII: JSON text the old hand-coded writer escaped its own way.
    static let participants = ["wm/Guest", "张三", "zhangsan"]
    /// What the store wrote by hand before (`JSONEncoder().encode(list)` as text).
    static func handCoded(_ list: [String]) throws -> String { String(decoding: try JSONEncoder().encode(list), as: UTF8.self) }

    func open() throws -> (ActivityStore, DatabaseQueue) {
        let path = ActivityStore.path(inStateDirectory: directory)
        return (try ActivityStore(path: path), try DatabaseQueue(path: path))
    }

    static func conversation(_ id: String, participants: [String]) -> ChatConversation {
        ChatConversation(
            conversationID: id, threadKey: "wecom:s|wm\(id)", sourceSystem: "wecom", startedMs: 1_000, lastMs: 2_000, lastIngestMs: 3_000,
            messageCount: participants.count, participants: participants)
    }

    @Test("the columns hold exactly the JSON text the hand-coded writer produced, so existing rows need no migration")
    func columnsAreByteCompatible() throws {
        let (store, raw) = try open()
        _ = try store.absorbChatMessage(messageID: "m1", threadKey: "wecom:s|wmA", atMs: 1_000) { _, _ in
            [Self.conversation("A", participants: Self.participants)]
        }
        _ = try store.updateCall("twilio:CA1") { _ in
            CallState(callKey: "twilio:CA1", activity: "{}", events: ["e/1", "e2"], updatedMs: 5)
        }
        let participants = try raw.read { try String.fetchOne($0, sql: "SELECT participants FROM chat_conversations WHERE conversation_id = 'A'") }
        #expect(participants == (try Self.handCoded(Self.participants)))
        let events = try raw.read { try String.fetchOne($0, sql: "SELECT events FROM call_states WHERE call_key = 'twilio:CA1'") }
        #expect(events == (try Self.handCoded(["e/1", "e2"])))
    }

    @Test("rows written as hand-coded JSON text before read back as lists")
    func oldRowsReadAsLists() throws {
        let (store, raw) = try open()
        try raw.write { db in
            try db.execute(
                sql: """
                    INSERT INTO chat_conversations (conversation_id, thread_key, source_system, started_ms, last_ms, last_ingest_ms,
                      message_count, participants, summary, summary_lines, direction, closed, version, emitted_version, alerted)
                    VALUES ('old', 'wecom:s|wmOld', 'wecom', 1, 2, 3, 2, ?, '', 0, 'inbound', 0, 1, 0, 0)
                    """,
                arguments: [try Self.handCoded(Self.participants)])
            try db.execute(
                sql: "INSERT INTO call_states (call_key, activity, events, updated_ms) VALUES ('asterisk:1', '{}', ?, 9)",
                arguments: [try Self.handCoded(["e1", "e/2"])])
        }
        #expect(try store.conversation("old")?.participants == Self.participants)
        #expect(try store.call("asterisk:1")?.events == ["e1", "e/2"])
    }

    @Test("changelog values keep participants and events as JSON text, and read back either way")
    func changelogKeepsText() throws {
        let state = ChatConversationState(conversation: Self.conversation("C", participants: Self.participants), messageIDs: ["m1", "m2"])
        let bytes = try state.encoded()
        let object = try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
        let conversation = try #require(object["conversation"] as? [String: Any])
        #expect(conversation["participants"] as? String == (try Self.handCoded(Self.participants)))
        #expect(object["message_ids"] as? [String] == ["m1", "m2"])
        #expect(try ChatConversationState.decode(bytes) == state)

        let call = CallState(callKey: "twilio:CA2", activity: #"{"kind":"call"}"#, events: ["e1"], updatedMs: 7, statePartition: 3)
        let callBytes = try StateChangelog.encode(call)
        let callObject = try #require(try JSONSerialization.jsonObject(with: Data(callBytes)) as? [String: Any])
        #expect(callObject["events"] as? String == #"["e1"]"#)
        #expect(try StateChangelog.decode(CallState.self, from: callBytes) == call)
        // A value whose list is an array (not written today) still restores.
        let arrayForm = #"{"call_key":"k","activity":"{}","events":["a","b"],"updated_ms":1,"state_partition":0}"#
        #expect(try StateChangelog.decode(CallState.self, from: Array(arrayForm.utf8)).events == ["a", "b"])
    }

    @Test("a changelog value as the previous release wrote it restores")
    func previousReleaseValue() throws {
        // Byte for byte what `JSONEncoder().encode(CallState)` produced when events were a String property.
        let old = #"{"call_key":"twilio:CA9","activity":"{}","events":"[\"e1\",\"e2\"]","updated_ms":11,"state_partition":2}"#
        let call = try StateChangelog.decode(CallState.self, from: Array(old.utf8))
        #expect(call.events == ["e1", "e2"])
        #expect(call.statePartition == 2)
    }
}
