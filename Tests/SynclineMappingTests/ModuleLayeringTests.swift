import Foundation
import Testing

/// The module shape, kept by reading every `import` in Sources/: modules depend downward only,
/// only the Kafka module touches librdkafka (from its RDKafka/ folder), the Kafka module and the
/// record types know nothing of the mapping language, and mapping logic imports no Kafka, HTTP or SQL.
@Suite("Module layering")
struct ModuleLayeringTests {
    static let sources = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Sources")

    /// Lower numbers are lower layers; a module may import only modules of a lower layer.
    static let layers: [String: Int] = [
        "CRdKafka": 0, "SynclineRecords": 0, "CCrashMark": 0,
        "SynclineKafka": 1, "SynclineMapping": 1,
        "SynclineSecurity": 2, "SynclineStore": 2,
        "SynclineRuntime": 3,
        "SynclineConnectors": 4, "SynclineAdmin": 4,
        "SynclineHub": 5, "SynclineTooling": 5,
        "syncline": 6,
    ]

    /// (module, file path relative to Sources/, imported module) for every import of a project module.
    static func imports() throws -> [(module: String, file: String, imported: String)] {
        var result: [(String, String, String)] = []
        let enumerator = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)
        while let url = enumerator?.nextObject() as? URL {
            guard url.pathExtension == "swift" || url.pathExtension == "h" else { continue }
            let relative = String(url.path.dropFirst(sources.path.count + 1))
            let module = String(relative.prefix { $0 != "/" })
            for line in try String(contentsOf: url, encoding: .utf8).split(separator: "\n") {
                let words = line.split(separator: " ").map(String.init)
                guard let index = words.firstIndex(of: "import"), index + 1 < words.count,
                      words[..<index].allSatisfy({ ["public", "internal", "@_exported", "@preconcurrency"].contains($0) })
                else { continue }
                result.append((module, relative, words[index + 1]))
            }
        }
        return result
    }

    @Test("every module imports only modules of lower layers")
    func dependDownwardOnly() throws {
        let found = try Self.imports()
        #expect(found.count > 50, "the scan found the imports")
        for (module, file, imported) in found {
            guard let own = Self.layers[module] else {
                Issue.record("module \(module) (\(file)) has no layer: add it to ModuleLayeringTests.layers")
                continue
            }
            guard let other = Self.layers[imported] else { continue }  // a system or package module
            #expect(other < own, "\(file): \(module) (layer \(own)) imports \(imported) (layer \(other))")
        }
    }

    @Test("librdkafka only in SynclineKafka/RDKafka; no mapping language below the runtime; no Kafka, HTTP or SQL in the mapping core")
    func boundaries() throws {
        for (module, file, imported) in try Self.imports() {
            if imported == "CRdKafka" {
                #expect(file.hasPrefix("SynclineKafka/RDKafka/"), "\(file) imports librdkafka")
            }
            if module == "SynclineKafka" || module == "SynclineRecords" {
                #expect(!["SynclineMapping", "Yams"].contains(imported), "\(file) imports \(imported)")
            }
            if module == "SynclineMapping" {
                #expect(
                    !["SynclineKafka", "CRdKafka", "GRDB", "Hummingbird", "NIOCore", "SynclineStore"].contains(imported),
                    "\(file) imports \(imported)")
            }
        }
    }
}
