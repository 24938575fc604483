public import Foundation

/// Every topic declared under `topics/`, loaded and checked together; every problem in every
/// file is reported at once, each naming its file and field.
public struct TopicCatalog: Sendable {
    public private(set) var topics: [TopicSpec]

    public init(topics: [TopicSpec]) {
        self.topics = topics
    }

    public subscript(name: String) -> TopicSpec? { topics.first { $0.name == name } }

    /// Loads every `*.yaml`/`*.yml` file in `directory` (sorted by file name).
    public static func load(directory: URL) throws(ConfigProblems) -> TopicCatalog {
        let files: [URL]
        do {
            files = try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
                .filter { ["yaml", "yml"].contains($0.pathExtension) }
                .sorted { $0.lastPathComponent < $1.lastPathComponent }
        } catch {
            throw ConfigProblems([
                ConfigProblem(file: directory.path, field: "", message: "cannot read the topics directory: \(error.localizedDescription)")
            ])
        }
        var problems: [ConfigProblem] = []
        var topics: [TopicSpec] = []
        var seen: [String: String] = [:]
        for file in files {
            let text: String
            do {
                text = try String(contentsOf: file, encoding: .utf8)
            } catch {
                problems.append(ConfigProblem(file: file.path, field: "", message: "cannot read the file as UTF-8 text"))
                continue
            }
            do throws(ConfigProblems) {
                let spec = try TopicSpecParser.parse(text, file: file.path)
                if let earlier = seen[spec.name] {
                    problems.append(ConfigProblem(file: file.path, field: "name", message: "topic '\(spec.name)' is already declared in \(earlier)"))
                } else {
                    seen[spec.name] = file.path
                    topics.append(spec)
                }
            } catch {
                problems += error.problems
            }
        }
        let errors = problems.filter { $0.severity == .error }
        if !errors.isEmpty { throw ConfigProblems(problems) }
        return TopicCatalog(topics: topics)
    }
}
