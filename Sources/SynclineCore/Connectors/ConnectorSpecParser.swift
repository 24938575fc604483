public import Foundation

/// Reads one connector file (`connectors/*.yaml`), reporting every malformed field with the file,
/// connector and route it belongs to.
public enum ConnectorSpecParser {
    static let topLevelKeys: Set<String> = [
        "name", "description", "version", "input", "event_id", "source_timestamp", "dlq", "slo_seconds",
        "routes", "tuning",
    ]
    static let inputKeys: Set<String> = ["topics", "format"]
    static let routeKeys: Set<String> = ["name", "topic", "key"]
    static let tuningKeys: Set<String> = ["batch_size", "max_in_flight", "commit_interval_ms"]

    public static func load(file: URL) throws(ConfigProblems) -> ConnectorSpec {
        let text: String
        do {
            text = try String(contentsOf: file, encoding: .utf8)
        } catch {
            throw ConfigProblems([ConfigProblem(file: file.path, field: "", message: "cannot read the file as UTF-8 text")])
        }
        return try parse(text, file: file.path)
    }

    /// Loads every `*.yaml` connector file directly inside `directory` (not samples/ or tests/).
    public static func loadAll(directory: URL) throws(ConfigProblems) -> [ConnectorSpec] {
        let files: [URL]
        do {
            files = try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
                .filter { ["yaml", "yml"].contains($0.pathExtension) }
                .sorted { $0.lastPathComponent < $1.lastPathComponent }
        } catch {
            throw ConfigProblems([ConfigProblem(file: directory.path, field: "", message: "cannot read the connectors directory")])
        }
        var specs: [ConnectorSpec] = []
        var problems: [ConfigProblem] = []
        for file in files {
            do throws(ConfigProblems) {
                specs.append(try load(file: file))
            } catch {
                problems += error.problems
            }
        }
        var names: [String: String] = [:]
        for spec in specs {
            if let other = names[spec.name] {
                problems.append(ConfigProblem(file: spec.file, field: "name", message: "connector name '\(spec.name)' is also used by \(other)"))
            }
            names[spec.name] = spec.file
        }
        if !problems.isEmpty { throw ConfigProblems(problems) }
        return specs
    }

    public static func parse(_ text: String, file: String) throws(ConfigProblems) -> ConnectorSpec {
        let root = try ConfigNode.parse(text, file: file)
        var problems: [ConfigProblem] = []
        guard root.isMapping else {
            throw ConfigProblems([root.problem("a connector file must be a mapping (found \(root.kindName))")])
        }
        root.rejectUnknownKeys(allowed: topLevelKeys, &problems)
        let name = root.required("name", &problems)?.string(&problems) ?? ""
        if !name.isEmpty, !NameRules.isTopicSegment(name) {
            problems.append(root.problem("connector name '\(name)' must be lower-case ASCII letters, digits, '_' or '-'", field: "name"))
        }
        var inputTopics: [String] = []
        var format = PayloadFormat.json
        if let input = root.required("input", &problems) {
            input.rejectUnknownKeys(allowed: inputKeys, &problems)
            if let topics = input.required("topics", &problems)?.strings(&problems) {
                inputTopics = topics
                if topics.isEmpty { problems.append(input.problem("input.topics is empty", field: "input.topics")) }
            }
            if let node = input["format"], let text = node.string(&problems) {
                if let value = PayloadFormat(rawValue: text) {
                    format = value
                } else {
                    problems.append(node.problem("unknown format '\(text)' (use one of: json, xml, form, csv)"))
                }
            }
        }
        let version = root["version"]?.string(&problems) ?? ContentHash.hex(text)
        let slo = root["slo_seconds"]?.double(&problems) ?? 90
        if slo <= 0 { problems.append(root.problem("slo_seconds must be positive", field: "slo_seconds")) }
        var routes: [RouteSpec] = []
        if let node = root.required("routes", &problems), let items = node.list(&problems) {
            if items.isEmpty { problems.append(node.problem("a connector needs at least one route")) }
            for (index, item) in items.enumerated() {
                if let route = parseRoute(item, index: index, &problems) { routes.append(route) }
            }
            var seen = Set<String>()
            for route in routes where !seen.insert(route.name).inserted {
                problems.append(ConfigProblem(file: file, field: "routes", message: "two routes are named '\(route.name)'", route: route.name))
            }
        }
        var tuning = RuntimeTuning()
        if let node = root["tuning"] {
            node.rejectUnknownKeys(allowed: tuningKeys, &problems)
            if let value = node["batch_size"]?.int(&problems) { tuning.batchSize = max(1, value) }
            if let value = node["max_in_flight"]?.int(&problems) { tuning.maxInFlight = max(1, value) }
            if let value = node["commit_interval_ms"]?.int(&problems) { tuning.commitIntervalMs = max(1, value) }
        }
        for index in problems.indices where problems[index].connector == nil && !name.isEmpty {
            problems[index].connector = name
        }
        if !problems.isEmpty { throw ConfigProblems(problems) }
        return ConnectorSpec(
            name: name, description: root["description"]?.string(&problems) ?? "", mappingVersion: version,
            inputTopics: inputTopics, format: format,
            eventIDPath: root["event_id"]?.string(&problems),
            sourceTimestampPath: root["source_timestamp"]?.string(&problems),
            dlqTopic: root["dlq"]?.string(&problems), sloSeconds: slo, routes: routes, tuning: tuning,
            file: file, content: text)
    }

    static func parseRoute(_ node: ConfigNode, index: Int, _ problems: inout [ConfigProblem]) -> RouteSpec? {
        guard node.isMapping else {
            problems.append(node.problem("a route must be a mapping with name and topic (found \(node.kindName))"))
            return nil
        }
        node.rejectUnknownKeys(allowed: routeKeys, &problems)
        let name = node["name"]?.string(&problems) ?? "route\(index + 1)"
        guard let topic = node.required("topic", &problems)?.string(&problems) else { return nil }
        if TopicSpec.kind(of: topic) == nil {
            var problem = node.problem("output topic '\(topic)' does not follow the topic naming rules", field: node.child("topic"))
            problem.route = name
            problems.append(problem)
        }
        return RouteSpec(name: name, topic: topic, key: node["key"]?.string(&problems))
    }
}
