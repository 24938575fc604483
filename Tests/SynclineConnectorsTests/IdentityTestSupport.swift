import Foundation
import Logging
import SynclineConnectors
import SynclineMapping
import SynclineStore

/// A state directory with the identity index and activity store, the shipped topics and connector
/// files, and helpers to push records through a processor's stages, for the im/telephony tests.
struct ProcessorHarness {
    let directory: URL
    let identity: IdentityIndex
    let store: ActivityStore
    let catalog: TopicCatalog

    static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    init(directory: URL = FileManager.default.temporaryDirectory.appendingPathComponent("processors-\(UUID().uuidString)")) throws {
        self.directory = directory
        identity = try IdentityIndex(path: IdentityIndex.path(inStateDirectory: directory))
        store = try ActivityStore(path: ActivityStore.path(inStateDirectory: directory))
        catalog = try TopicCatalog.load(directory: Self.repositoryRoot.appendingPathComponent("topics"))
    }

    /// The same state directory opened again, as after a restart.
    func reopened() throws -> ProcessorHarness { try ProcessorHarness(directory: directory) }

    /// A shipped connector file, with `processor_options` replaced when given.
    static func spec(_ name: String, options: [String: String] = [:]) throws -> ConnectorSpec {
        var text = try String(contentsOf: repositoryRoot.appendingPathComponent("connectors/\(name).yaml"), encoding: .utf8)
        for (key, value) in options {
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
                line.trimmingCharacters(in: .whitespaces).hasPrefix("\(key):") ? "  \(key): \(value)" : String(line)
            }
            text = lines.joined(separator: "\n")
        }
        return try ConnectorSpecParser.parse(text, file: "\(name).yaml")
    }

    var linker: CustomerLinker { CustomerLinker(index: identity) }

    func customers(_ changes: [CustomerChange]) throws { try identity.applyChangelog(changes, positions: []) }

    static func record(_ text: String, topic: String, offset: Int64 = 0, headers: [RecordHeader] = []) -> InputRecord {
        InputRecord(topic: topic, partition: 0, offset: offset, key: nil, value: Array(text.utf8), headers: headers, timestampMs: 1_715_650_000_000)
    }

    static func json(_ record: OutputRecord) -> [String: JSONValue] {
        (try? JSONParser.parse(record.value ?? []).objectValue) ?? [:]
    }

    static let logger: Logger = {
        var logger = Logger(label: "test")
        logger.logLevel = .error
        return logger
    }()
}
