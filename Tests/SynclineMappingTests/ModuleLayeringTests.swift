import Foundation
import Testing

/// The module shape, kept by reading every `import` in Sources/: modules depend downward only,
/// only the Kafka module touches librdkafka (from its RDKafka/ folder), the Kafka module, the
/// record types and the store know nothing of the mapping language, mapping logic imports no Kafka,
/// HTTP or SQL, and the hub does not know the demo (the CLI hands it over as an extra service).
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
        "SynclineConnectors": 4, "SynclineAdmin": 4, "SynclineDemo": 4,
        "SynclineHub": 5, "SynclineTooling": 5,
        "syncline": 6,
    ]

    /// (path relative to Sources/, text) of every source file with one of `extensions`.
    static func sourceFiles(extensions: Set<String>) throws -> [(file: String, text: String)] {
        var result: [(String, String)] = []
        let enumerator = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)
        while let url = enumerator?.nextObject() as? URL {
            guard extensions.contains(url.pathExtension) else { continue }
            result.append((String(url.path.dropFirst(sources.path.count + 1)), try String(contentsOf: url, encoding: .utf8)))
        }
        return result
    }

    /// (module, file path relative to Sources/, imported module) for every import of a project module.
    static func imports() throws -> [(module: String, file: String, imported: String)] {
        var result: [(String, String, String)] = []
        for (relative, text) in try sourceFiles(extensions: ["swift", "h"]) {
            let module = String(relative.prefix { $0 != "/" })
            for line in text.split(separator: "\n") {
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

    /// Each source target's project dependencies as `Package.swift` declares them (the build's own
    /// graph, so a dependency declared but not yet imported cannot point up either).
    static func declaredDependencies() throws -> [String: [String]] {
        let package = try String(contentsOf: sources.deletingLastPathComponent().appendingPathComponent("Package.swift"), encoding: .utf8)
        var result: [String: [String]] = [:]
        // `.target(` / `.executableTarget(` blocks up to the next target declaration.
        let blocks = package.components(separatedBy: ".target(").dropFirst().map { $0 }
            + package.components(separatedBy: ".executableTarget(").dropFirst().map { $0 }
        for block in blocks {
            let body = block.components(separatedBy: "Target(").first ?? block
            guard let name = body.firstMatch(of: /name:\s*"([^"]+)"/)?.output.1, !body.contains("path: \"Tests/") else { continue }
            let dependencies = body.firstMatch(of: /dependencies:\s*\[(?<list>[^\]]*)\]/).map { String($0.output.list) } ?? ""
            // Project targets are the quoted names in the layer table; package products are not in it.
            let names = dependencies.matches(of: /"([A-Za-z]+)"/).map { String($0.output.1) }
            result[String(name)] = names.filter { layers[$0] != nil }
        }
        return result
    }

    @Test("Package.swift declares only downward dependencies, and every source target has a layer")
    func packageDependsDownwardOnly() throws {
        let declared = try Self.declaredDependencies()
        #expect(declared["SynclineRuntime"]?.contains("SynclineKafka") == true, "parsed \(declared)")
        #expect(declared.count >= 10, "parsed \(declared.keys.sorted())")
        for (module, dependencies) in declared {
            guard let own = Self.layers[module] else {
                Issue.record("target \(module) has no layer: add it to ModuleLayeringTests.layers")
                continue
            }
            for dependency in dependencies {
                let other = Self.layers[dependency] ?? .max
                #expect(other < own, "Package.swift: \(module) (layer \(own)) depends on \(dependency) (layer \(other))")
            }
        }
    }

    @Test("librdkafka only in SynclineKafka/RDKafka; no mapping language in Kafka, Records or Store; no Kafka, HTTP or SQL in the mapping core; the hub does not import the demo")
    func boundaries() throws {
        let hubDependencies = try #require(Self.declaredDependencies()["SynclineHub"])
        #expect(!hubDependencies.contains("SynclineDemo"), "Package.swift: SynclineHub depends on the demo")
        for (module, file, imported) in try Self.imports() {
            if imported == "CRdKafka" {
                #expect(file.hasPrefix("SynclineKafka/RDKafka/"), "\(file) imports librdkafka")
            }
            if ["SynclineKafka", "SynclineRecords", "SynclineStore"].contains(module) {
                #expect(!["SynclineMapping", "Yams"].contains(imported), "\(file) imports \(imported)")
            }
            if module == "SynclineMapping" {
                #expect(
                    !["SynclineKafka", "CRdKafka", "GRDB", "Hummingbird", "NIOCore", "SynclineStore"].contains(imported),
                    "\(file) imports \(imported)")
            }
            if module == "SynclineHub" {
                #expect(imported != "SynclineDemo", "\(file) imports the demo: hand it to buildApplication as an extra service instead")
            }
            if module == "SynclineDemo" {
                #expect(
                    !["SynclineHub", "SynclineAdmin", "SynclineStore", "SynclineConnectors", "SynclineRuntime"].contains(imported),
                    "\(file) imports \(imported): the demo publishes raw records and is handed what it reads of the hub")
            }
        }
    }
}
