public import Foundation
public import SynclineMapping

/// Loads sample records for `syncline validate --samples DIR`: `DIR/<connector>/**` holds `*.json`
/// files (one document each) and `*.jsonl` files (one document per line). Files under a folder named
/// `invalid` (deliberately broken examples) are skipped: they must not sway the mis-mapping check.
public enum SampleLoader {
    /// The decoded samples and the files that could not be read as JSON (with the reason).
    public struct Loaded: Sendable {
        public var documents: [JSONValue]
        public var unreadable: [(file: String, reason: String)]
    }

    public static func load(directory: URL) -> Loaded {
        var documents: [JSONValue] = []
        var unreadable: [(file: String, reason: String)] = []
        let files = (FileManager.default.enumerator(at: directory, includingPropertiesForKeys: nil)?.allObjects as? [URL] ?? [])
            .filter { ["json", "jsonl"].contains($0.pathExtension) }
            .filter { !$0.pathComponents.contains("invalid") }
            .sorted { $0.path < $1.path }
        for file in files {
            guard let data = try? Data(contentsOf: file) else {
                unreadable.append((file.path, "cannot be read"))
                continue
            }
            let chunks: [[UInt8]] = file.pathExtension == "jsonl"
                ? data.split(separator: UInt8(ascii: "\n")).map(Array.init).filter { !$0.allSatisfy { $0 == 32 || $0 == 13 || $0 == 9 } }
                : [Array(data)]
            for chunk in chunks {
                do throws(JSONParseError) {
                    documents.append(try JSONParser.parse(chunk))
                } catch {
                    unreadable.append((file.path, "\(error)"))
                }
            }
        }
        return Loaded(documents: documents, unreadable: unreadable)
    }
}
