public import Foundation

/// Reads one connector file (`connectors/*.yaml`), reporting every malformed field with the file,
/// connector and route it belongs to.
public enum ConnectorSpecParser {
    static let topLevelKeys: Set<String> = [
        "name", "description", "version", "input", "event_id", "source_timestamp", "dlq", "slo_seconds",
        "routes", "tuning", "defaults", "rate_limit", "circuit_breaker", "retry", "delivery_timeout_ms",
        "processor", "processor_options", "after_routes", "ingress", "test_hooks",
    ]
    static let inputKeys: Set<String> = ["topics", "format", "csv", "max_payload_bytes", "tombstones"]
    static let routeKeys: Set<String> = ["name", "topic", "key", "when", "fields", "extra", "checks"]
    static let checkKeys: Set<String> = ["expr", "code", "message", "field"]
    static let defaultsKeys: Set<String> = ["phone_region", "timezone"]
    static let csvKeys: Set<String> = ["columns", "delimiter"]
    static let extraKeys: Set<String> = ["from", "into"]
    static let ruleKeys: Set<String> = [
        "to", "from", "const", "expr", "type", "required", "default", "max_length", "scale", "region", "timezone", "map", "trim",
        "each", "item_checks", "on_error", "map_only",
    ]
    static let tuningKeys: Set<String> = [
        "batch_size", "max_in_flight", "max_in_flight_bytes", "commit_interval_ms", "commit_every_records",
    ]

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
        var csv = CSVOptions()
        var maxPayloadBytes = 1 << 20
        var tombstones = TombstonePolicy.dlq
        var tombstonesNode: ConfigNode?
        if let input = root.required("input", &problems) {
            if let node = input["tombstones"], let text = node.string(&problems) {
                tombstonesNode = node
                if let value = TombstonePolicy(rawValue: text) {
                    tombstones = value
                } else {
                    problems.append(node.problem("unknown tombstones rule '\(text)' (use one of: dlq, forward)"))
                }
            }
            if let node = input["csv"] {
                node.rejectUnknownKeys(allowed: csvKeys, &problems)
                csv.columns = node["columns"]?.strings(&problems)
                if let delimiterNode = node["delimiter"], let text = delimiterNode.string(&problems) {
                    if text.utf8.count == 1, let byte = text.utf8.first, byte != UInt8(ascii: "\""), byte != 0x0A {
                        csv.delimiter = byte
                    } else {
                        problems.append(delimiterNode.problem("delimiter must be one ASCII character other than '\"' or a newline"))
                    }
                }
            }
            if let node = input["max_payload_bytes"], let value = node.int(&problems) {
                if value < 1 { problems.append(node.problem("max_payload_bytes must be positive")) }
                maxPayloadBytes = max(1, value)
            }
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
        var defaults = MappingDefaults()
        if let node = root["defaults"] {
            node.rejectUnknownKeys(allowed: defaultsKeys, &problems)
            if let regionNode = node["phone_region"], let region = regionNode.string(&problems) {
                if PhoneNormalizer(defaultRegion: region) == nil {
                    let known = PhoneNormalizer.regions.keys.sorted().joined(separator: ", ")
                    problems.append(regionNode.problem("unknown phone region '\(region)' (known: \(known))"))
                }
                defaults.phoneRegion = region.uppercased()
            }
            if let zoneNode = node["timezone"], let zone = zoneNode.string(&problems) {
                if TimestampParser.Zone(zone) == nil {
                    problems.append(zoneNode.problem("unknown time zone '\(zone)' (use UTC, an offset like +08:00, or an IANA name like Asia/Shanghai)"))
                }
                defaults.timezone = zone
            }
        }
        var routes: [RouteSpec] = []
        // A connector with a `processor` may leave routes out: the processor produces its outputs.
        let processor = root["processor"]?.string(&problems)
        var processorOptions: [String: JSONValue] = [:]
        for (key, value) in root["processor_options"]?.entries(&problems) ?? [] {
            processorOptions[key] = JSONValueYAML.value(value.node)
        }
        let routesNode = processor == nil ? root.required("routes", &problems) : root["routes"]
        if let node = routesNode, let items = node.list(&problems) {
            if items.isEmpty && processor == nil { problems.append(node.problem("a connector needs at least one route")) }
            for (index, item) in items.enumerated() {
                if let route = parseRoute(item, index: index, &problems) { routes.append(route) }
            }
            var seen = Set<String>()
            for route in routes where !seen.insert(route.name).inserted {
                problems.append(ConfigProblem(file: file, field: "routes", message: "two routes are named '\(route.name)'", route: route.name))
            }
        }
        let afterRoutes = root["after_routes"].map { parseAfterRoutes($0, processor: processor, &problems) } ?? []
        var tuning = RuntimeTuning()
        if let node = root["tuning"] {
            node.rejectUnknownKeys(allowed: tuningKeys, &problems)
            if let value = node["batch_size"]?.int(&problems) { tuning.batchSize = max(1, value) }
            if let value = node["max_in_flight"]?.int(&problems) { tuning.maxInFlight = max(1, value) }
            if let value = node["commit_interval_ms"]?.int(&problems) { tuning.commitIntervalMs = max(1, value) }
            if let value = node["commit_every_records"]?.int(&problems) { tuning.commitEveryRecords = max(1, value) }
            if let value = node["max_in_flight_bytes"]?.int(&problems) { tuning.maxInFlightBytes = max(1 << 16, value) }
        }
        let resilience = ResilienceSpecParser.parse(root, &problems)
        let ingress = root["ingress"].flatMap { IngressSpec.parse($0, inputTopics: inputTopics, &problems) }
        let testHooks = root["test_hooks"].flatMap { TestHooks.parse($0, &problems) }
        var envelopePaths: [String: [String]] = [:]
        for key in ["event_id", "source_timestamp"] {
            guard let node = root[key] else { continue }
            let paths: [String]
            if case .sequence = node.node {
                paths = node.strings(&problems) ?? []
                if paths.isEmpty { problems.append(node.problem("\(key) lists no paths")) }
            } else {
                paths = node.string(&problems).map { [$0] } ?? []
            }
            for path in paths {
                do throws(SourcePath.Malformed) {
                    _ = try SourcePath.parse(path)
                } catch {
                    problems.append(node.problem("bad path: \(error.message)"))
                }
            }
            envelopePaths[key] = paths
        }
        if tombstones == .forward, let node = tombstonesNode,
            processor != nil || routes.contains(where: { !$0.isPassthrough || $0.when != nil })
        {
            problems.append(node.problem(
                "tombstones: forward needs plain routes only (a mapped route or a processor has no document to key a tombstone by); remove it to send null values to the DLQ as payload_missing"))
        }
        for index in problems.indices where problems[index].connector == nil && !name.isEmpty {
            problems[index].connector = name
        }
        if !problems.isEmpty { throw ConfigProblems(problems) }
        var spec = ConnectorSpec(
            name: name, description: root["description"]?.string(&problems) ?? "", mappingVersion: version,
            inputTopics: inputTopics, format: format,
            eventIDPath: envelopePaths["event_id"].flatMap { $0.count == 1 ? $0[0] : nil },
            sourceTimestampPath: envelopePaths["source_timestamp"].flatMap { $0.count == 1 ? $0[0] : nil },
            dlqTopic: root["dlq"]?.string(&problems), sloSeconds: slo, routes: routes, tuning: tuning,
            file: file, content: text)
        spec.defaults = defaults
        spec.csv = csv
        spec.maxPayloadBytes = maxPayloadBytes
        spec.tombstones = tombstones
        spec.resilience = resilience
        spec.processor = processor
        spec.processorOptions = processorOptions
        spec.afterRoutes = afterRoutes
        spec.ingress = ingress
        spec.testHooks = testHooks
        if let paths = envelopePaths["event_id"], paths.count > 1 { spec.eventIDPaths = paths }
        if let paths = envelopePaths["source_timestamp"], paths.count > 1 { spec.sourceTimestampPaths = paths }
        return spec
    }

    /// `after_routes: [follow_up, complaint_alert]`: known names, each once, and only on a connector
    /// of declared routes (a processor produces its own outputs; nothing runs after it).
    static func parseAfterRoutes(_ node: ConfigNode, processor: String?, _ problems: inout [ConfigProblem]) -> [AfterRoutesStage] {
        if let processor {
            problems.append(node.problem(
                "after_routes runs stages after the declared routes; a connector with processor: \(processor) cannot use it (remove after_routes)"))
            return []
        }
        var stages: [AfterRoutesStage] = []
        let known = AfterRoutesStage.allCases.map(\.rawValue).joined(separator: ", ")
        for item in node.list(&problems) ?? [] {
            guard let text = item.string(&problems) else { continue }
            guard let stage = AfterRoutesStage(rawValue: text) else {
                problems.append(item.problem("unknown stage '\(text)' after the routes (known: \(known))"))
                continue
            }
            if stages.contains(stage) {
                problems.append(item.problem("'\(text)' is listed twice"))
                continue
            }
            stages.append(stage)
        }
        return stages
    }
}
