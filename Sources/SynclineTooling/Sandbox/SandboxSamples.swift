public import Foundation
import SynclineMapping

/// Sample records for a sandbox run from a folder: every `*.json` file is one record value (as
/// bytes, unparsed: broken samples are records too) and every line of a `*.jsonl` file one more,
/// including the deliberately invalid ones (`invalid/`), which a mapping change may start or stop rejecting.
public enum SandboxSamples {
    public static func load(directory: URL, topic: String) -> [SandboxInput] {
        let files = (FileManager.default.enumerator(at: directory, includingPropertiesForKeys: nil)?.allObjects as? [URL] ?? [])
            .filter { ["json", "jsonl"].contains($0.pathExtension) }
            .sorted { $0.path < $1.path }
        var inputs: [SandboxInput] = []
        for file in files {
            guard let data = try? Data(contentsOf: file) else { continue }
            let name = String(file.path.dropFirst(directory.path.count)).drop { $0 == "/" }
            let chunks: [[UInt8]] = file.pathExtension == "jsonl"
                ? data.split(separator: UInt8(ascii: "\n")).map(Array.init).filter { !$0.allSatisfy { $0 == 32 || $0 == 13 || $0 == 9 } }
                : [Array(data)]
            for (index, chunk) in chunks.enumerated() {
                let record = InputRecord(
                    topic: topic, partition: 0, offset: Int64(inputs.count), key: nil, value: chunk, headers: [],
                    timestampMs: EpochClock.nowMs())
                inputs.append(SandboxInput(label: chunks.count > 1 ? "\(name):\(index + 1)" : String(name), record: record))
            }
        }
        return inputs
    }
}
