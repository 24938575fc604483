import Foundation

/// The pre-deploy check of a connector's mapping (`syncline validate`): reports every problem, each
/// naming file, connector, route and field — schema mismatches, names, enum maps and, given sample
/// records, paths that never occur and likely mis-mappings (`客户_等级_v2 → industry`).
public enum ConnectorLinter {
    /// Tunables for the sample-based checks.
    public struct Options: Sendable {
        /// A rule whose sample values fail the target's type/domain more often than this is a likely mis-mapping (error).
        public var misMappingThreshold: Double
        /// Fewer non-empty sample values than this and the mis-mapping check stays silent.
        public var minimumSampleValues: Int

        public init(misMappingThreshold: Double = 0.5, minimumSampleValues: Int = 1) {
            self.misMappingThreshold = misMappingThreshold
            self.minimumSampleValues = minimumSampleValues
        }
    }

    /// Parses then lints a connector file's text; parse problems are returned as they are.
    public static func lint(
        text: String, file: String, catalog: TopicCatalog, samples: [JSONValue]?, options: Options = Options()
    ) -> [ConfigProblem] {
        do throws(ConfigProblems) {
            let spec = try ConnectorSpecParser.parse(text, file: file)
            return lint(spec, catalog: catalog, samples: samples, options: options)
        } catch {
            return error.problems
        }
    }

    public static func lint(
        _ spec: ConnectorSpec, catalog: TopicCatalog, samples: [JSONValue]?, options: Options = Options()
    ) -> [ConfigProblem] {
        var problems: [ConfigProblem] = []
        func report(_ severity: ConfigProblem.Severity, _ field: String, _ message: String, route: String? = nil) {
            problems.append(ConfigProblem(file: spec.file, field: field, message: message, severity: severity, connector: spec.name, route: route))
        }
        if let samples {
            checkEnvelopePaths(spec, samples: samples, report)
        }
        for stage in spec.afterRoutes where !spec.routes.contains(where: { stage.watchedTopics.contains($0.topic) }) {
            report(.warning, "after_routes", "\(stage.rawValue) looks at \(stage.watchedTopics.joined(separator: " and ")), which no route writes: it sees nothing")
        }
        for route in spec.routes where !route.isPassthrough {
            lintRoute(route, spec: spec, catalog: catalog, samples: samples, options: options) { severity, field, message in
                report(severity, field, message, route: route.name)
            }
        }
        return problems
    }

    typealias Report = (ConfigProblem.Severity, String, String) -> Void

    /// Every topic the connector names (inputs, DLQ, plain routes' outputs) that topics/ does not
    /// declare, with the nearest declared name: `syncline validate` and `syncline up` both ask, so a
    /// typo is caught before deploying. (Mapped routes' topics are checked with their schema.)
    public static func undeclaredTopics(_ spec: ConnectorSpec, catalog: TopicCatalog) -> [ConfigProblem] {
        var named: [(field: String, topic: String)] = spec.inputTopics.map { ("input.topics", $0) } + [("dlq", spec.dlqTopic)]
        named += spec.routes.filter(\.isPassthrough).map { (($0.location.isEmpty ? "routes" : $0.location) + ".topic", $0.topic) }
        return named.filter { catalog[$0.topic] == nil }.map { field, topic in
            let near = catalog.topics.map(\.name).min { NameSuggester.distance($0, topic) < NameSuggester.distance($1, topic) }
            let hint = near.map { NameSuggester.distance($0, topic) <= 3 ? " — did you mean \($0)?" : "" } ?? ""
            return ConfigProblem(
                file: spec.file, field: field, message: "topic '\(topic)' is not declared in topics/ (add topics/\(topic).yaml)\(hint)",
                connector: spec.name)
        }
    }

    static func checkEnvelopePaths(_ spec: ConnectorSpec, samples: [JSONValue], _ report: (ConfigProblem.Severity, String, String, String?) -> Void) {
        guard !samples.isEmpty else { return }
        let envelope: [(String, [String])] = [
            ("event_id", spec.eventIDPaths.isEmpty ? spec.eventIDPath.map { [$0] } ?? [] : spec.eventIDPaths),
            ("source_timestamp", spec.sourceTimestampPaths.isEmpty ? spec.sourceTimestampPath.map { [$0] } ?? [] : spec.sourceTimestampPaths),
        ]
        for (key, texts) in envelope where !texts.isEmpty {
            let paths = texts.compactMap { try? SourcePath.parse($0) }
            let text = texts.joined(separator: " | ")
            let missing = samples.filter { sample in paths.allSatisfy { $0.lookup(in: sample).map(\.isEmptyValue) ?? true } }.count
            if missing == samples.count {
                report(.error, key, "\(key) path '\(text)' occurs in none of the \(samples.count) sample records (check the path)", nil)
            } else if missing > 0 {
                report(.warning, key, "\(key) path '\(text)' is missing in \(missing) of \(samples.count) sample records"
                    + (key == "event_id" ? " (those need a ce_id header or they are rejected)" : " (their delay cannot be measured unless ce_time is set)"), nil)
            }
        }
    }

    static func lintRoute(
        _ route: RouteSpec, spec: ConnectorSpec, catalog: TopicCatalog, samples: [JSONValue]?, options: Options,
        _ report: Report
    ) {
        let routeField = route.location.isEmpty ? "routes" : route.location
        guard let topic = catalog[route.topic] else {
            let near = catalog.topics.map(\.name).min { NameSuggester.distance($0, route.topic) < NameSuggester.distance($1, route.topic) }
            let hint = near.map { NameSuggester.distance($0, route.topic) <= 3 ? " — did you mean \($0)?" : "" } ?? ""
            report(.error, routeField + ".topic", "output topic '\(route.topic)' is not in the topic catalog (topics/*.yaml)\(hint)")
            return
        }
        guard let schema = topic.schema else {
            report(.error, routeField + ".topic", "output topic '\(route.topic)' has no schema, so fields cannot be mapped onto it")
            return
        }
        let schemaNames = Set(schema.map(\.name))
        // Target names, duplicates, schema membership.
        var writers: [String: [String]] = [:]
        for rule in route.fields { writers[rule.target, default: []].append(rule.location) }
        if let extra = route.extra { writers[extra.into, default: []].append(routeField + ".extra") }
        for (target, locations) in writers where locations.count > 1 {
            report(.error, locations[1], "field '\(target)' is written by \(locations.count) rules (\(locations.joined(separator: ", "))); keep one")
        }
        var targets: [(name: String, location: String)] = route.fields.map { ($0.target, $0.location) }
        if let extra = route.extra { targets.append((extra.into, routeField + ".extra.into")) }
        for (name, location) in targets {
            if !NameRules.isSnakeCaseASCII(name) {
                let (suggestion, complete) = NameSuggester.suggest(name)
                let advice = complete
                    ? "rename it to '\(suggestion)'"
                    : "rename it to an English snake_case name, e.g. '\(suggestion)' (replace 'field' with what it means)"
                report(.error, location, "target field name '\(name)' is not lower snake_case ASCII; \(advice)")
            }
            if !schemaNames.contains(name) {
                var hint = ""
                let suggestion = NameSuggester.suggest(name).name
                if schemaNames.contains(suggestion) {
                    hint = " — did you mean '\(suggestion)'?"
                } else if let near = schema.map(\.name).min(by: { NameSuggester.distance($0, name) < NameSuggester.distance($1, name) }),
                    NameSuggester.distance(near, name) <= 3
                {
                    hint = " — did you mean '\(near)'?"
                }
                report(.error, location, "target field '\(name)' is not in the schema of \(route.topic) (fields: \(schema.map(\.name).joined(separator: ", ")))\(hint)")
            }
        }
        // Required fields mapped.
        for field in schema where field.required && writers[field.name] == nil {
            report(.error, routeField + ".fields", "required field '\(field.name)' of \(route.topic) is not mapped (add a rule with from, const or expr)")
        }
        // Key.
        if let key = route.key {
            if writers[key] == nil {
                report(.error, routeField + ".key", "key field '\(key)' is not mapped by any rule of this route")
            } else if let field = schema.first(where: { $0.name == key }), !field.required,
                route.fields.first(where: { $0.target == key })?.required != true
            {
                report(.warning, routeField + ".key", "key field '\(key)' is optional; records without it are rejected with key_missing")
            }
            if let topicKey = topic.key, topicKey != key {
                report(.warning, routeField + ".key", "route key '\(key)' differs from the key of \(route.topic) ('\(topicKey)')")
            }
        }
        if let extra = route.extra, let field = schema.first(where: { $0.name == extra.into }), field.type != .object {
            report(.error, routeField + ".extra", "extra collects into '\(extra.into)', which is \(field.type.rawValue) in the schema, not object")
        }
        // Per-rule type checks.
        for rule in route.fields {
            guard let field = schema.first(where: { $0.name == rule.target }) else { continue }
            lintRule(rule, field: field, spec: spec, report)
        }
        checkSourceNames(route, schemaNames: schemaNames, writers: writers, report)
        lintDerivedFieldsAndChecks(route, schema: schema, report)
        guard let samples else { return }
        let matching = samples.filter { route.when?.matches($0) ?? true }
        if matching.isEmpty {
            if !samples.isEmpty {
                report(.warning, routeField + ".when", "no sample record matches this route's condition '\(route.when?.text ?? "")'")
            }
            return
        }
        for rule in route.fields {
            lintRuleWithSamples(rule, route: route, field: schema.first { $0.name == rule.target }, spec: spec,
                samples: matching, options: options, report)
        }
    }

    /// `$out.x` references, `each` fields and route checks: every referenced canonical field exists,
    /// no rule depends on itself through `$out`, and `each` writes an array field.
    static func lintDerivedFieldsAndChecks(_ route: RouteSpec, schema: [FieldSchema], _ report: Report) {
        let schemaNames = Set(schema.map(\.name))
        let targets = Set(route.fields.map(\.target))
        var dependencies: [String: [String]] = [:]
        for rule in route.fields {
            if case .expression(let expression) = rule.source {
                for path in expression.outputPaths {
                    guard case .key(let key) = path.segments[0] else { continue }
                    if !targets.contains(key) {
                        report(.error, rule.location + ".expr", "field '\(rule.target)': $out.\(key) is not a field this route writes (write it with a rule first)")
                    } else {
                        dependencies[rule.target, default: []].append(key)
                    }
                }
            }
            if rule.each != nil, let field = schema.first(where: { $0.name == rule.target }), field.type != .array {
                report(.error, rule.location + ".each", "field '\(rule.target)': each maps array items, but the schema type is \(field.type.rawValue)")
            }
            for check in rule.itemChecks where check.expression.paths.isEmpty && check.expression.inputPaths.isEmpty {
                report(.warning, check.location, "item check '\(check.expression.text)' reads no field")
            }
        }
        // Cycles through $out.
        for start in dependencies.keys.sorted() {
            var stack = dependencies[start] ?? []
            var seen = Set<String>()
            while let next = stack.popLast() {
                if next == start {
                    report(.error, (route.fields.first { $0.target == start }?.location ?? "") + ".expr",
                        "field '\(start)' depends on itself through $out (a cycle); compute it from the source instead")
                    break
                }
                if seen.insert(next).inserted { stack += dependencies[next] ?? [] }
            }
        }
        for check in route.checks {
            for path in check.expression.paths {
                guard case .key(let key) = path.segments[0], !schemaNames.contains(key) else { continue }
                report(.error, check.location, "check '\(check.expression.text)' reads '\(path.text)', which is not a field of \(route.topic) (use $in.… for input fields)")
            }
            if check.expression.paths.isEmpty && check.expression.inputPaths.isEmpty {
                report(.warning, check.location, "check '\(check.expression.text)' reads no field")
            }
        }
    }

    /// A source whose name reads like another, unmapped schema field (`fields.客户_等级_v2` → `customer_level`)
    /// mapped onto a different target is a likely mis-mapping even when the target is free text.
    static func checkSourceNames(_ route: RouteSpec, schemaNames: Set<String>, writers: [String: [String]], _ report: Report) {
        for rule in route.fields {
            guard case .paths(let paths) = rule.source else { continue }
            for path in paths {
                guard case .key(let key)? = path.segments.last else { continue }
                var candidate = NameSuggester.suggest(key).name
                // Drop a version suffix: customer_level_v2 → customer_level.
                if let range = candidate.range(of: "_v[0-9]+$", options: .regularExpression) { candidate.removeSubrange(range) }
                guard candidate != rule.target, schemaNames.contains(candidate), writers[candidate] == nil else { continue }
                report(.warning, rule.location,
                    "possible mis-mapping: source '\(path.text)' reads like the schema field '\(candidate)', but it is mapped onto '\(rule.target)' and '\(candidate)' is not mapped — check the rule")
            }
        }
    }

    /// Rule type → schema type combinations that produce valid values.
    static func compatible(_ ruleType: FieldType, _ schemaType: FieldType) -> Bool {
        if ruleType == schemaType { return true }
        switch (ruleType, schemaType) {
        case (.phone, .string), (.email, .string), (.enum, .string), (.timestamp, .string), (.int, .decimal): return true
        default: return false
        }
    }

    static func conversion(_ rule: FieldRule, _ field: FieldSchema?, _ spec: ConnectorSpec) -> FieldConversion {
        let zone = TimestampParser.Zone(rule.timezone ?? spec.defaults.timezone) ?? .fixed(seconds: 0)
        return FieldConversion(
            type: rule.type ?? field?.type ?? .string, scale: rule.scale ?? field?.scale, maxLength: rule.maxLength ?? field?.maxLength,
            trim: rule.trim ?? true, phone: PhoneNormalizer(defaultRegion: rule.region ?? spec.defaults.phoneRegion),
            timestamps: TimestampParser(defaultZone: zone), enumMap: rule.map, enumValues: field?.values)
    }

    static func describe(_ field: FieldSchema) -> String {
        switch field.type {
        case .enum: return "enum [\((field.values ?? []).joined(separator: ", "))]"
        case .decimal: return "decimal(scale \(field.scale.map(String.init) ?? "?"))"
        default: return field.type.rawValue
        }
    }

    static func lintRule(_ rule: FieldRule, field: FieldSchema, spec: ConnectorSpec, _ report: Report) {
        let location = rule.location
        let type = rule.type ?? field.type
        if let ruleType = rule.type, !compatible(ruleType, field.type) {
            report(.error, location + ".type", "field '\(rule.target)': rule type \(ruleType.rawValue) is incompatible with the schema type \(describe(field))")
        }
        if field.required, rule.required == false {
            report(.error, location + ".required", "field '\(rule.target)' is required by the schema of its topic; the rule cannot make it optional")
        }
        if let scale = rule.scale, let schemaScale = field.scale, scale > schemaScale {
            report(.error, location + ".scale", "field '\(rule.target)': scale \(scale) exceeds the schema's scale \(schemaScale)")
        }
        if let maxLength = rule.maxLength, let schemaMax = field.maxLength, maxLength > schemaMax {
            report(.warning, location + ".max_length", "field '\(rule.target)': max_length \(maxLength) exceeds the schema's \(schemaMax)")
        }
        if rule.map != nil, type != .enum {
            report(.warning, location + ".map", "field '\(rule.target)' has a value map but its type is \(type.rawValue), not enum; the map is ignored")
        }
        if type == .enum, field.type == .enum, let domain = field.values {
            if let map = rule.map {
                let outside = Set(map.values).subtracting(domain).sorted()
                for value in outside {
                    let sources = map.filter { $0.value == value }.map(\.key).sorted().joined(separator: ", ")
                    report(.error, location + ".map", "field '\(rule.target)': map produces '\(value)' (from \(sources)), which is not one of [\(domain.joined(separator: ", "))]")
                }
                let produced = Set(map.values)
                if produced.isDisjoint(with: domain) {
                    report(.error, location + ".map", "field '\(rule.target)': the map cannot produce any value of [\(domain.joined(separator: ", "))]")
                } else {
                    let unreachable = domain.filter { !produced.contains($0) }
                    if !unreachable.isEmpty {
                        report(.warning, location + ".map", "field '\(rule.target)': no map entry produces \(unreachable.map { "'\($0)'" }.joined(separator: ", ")) (only a source already holding that value can)")
                    }
                }
            }
        }
        let conversion = conversion(rule, field, spec)
        if case .constant(let value) = rule.source, !value.isEmptyValue {
            do throws(FieldConversion.Failure) {
                _ = try conversion.convert(value)
            } catch {
                report(.error, location + ".const", "field '\(rule.target)': the constant \(value.shortDisplay) does not fit \(describe(field)): \(error.reason)")
            }
        }
        if let value = rule.defaultValue, !value.isEmptyValue {
            do throws(FieldConversion.Failure) {
                _ = try conversion.convert(value)
            } catch {
                report(.error, location + ".default", "field '\(rule.target)': the default \(value.shortDisplay) does not fit \(describe(field)): \(error.reason)")
            }
        }
    }

    static func lintRuleWithSamples(
        _ rule: FieldRule, route: RouteSpec, field: FieldSchema?, spec: ConnectorSpec, samples: [JSONValue], options: Options,
        _ report: Report
    ) {
        let location = rule.location
        // Paths that never occur.
        if case .paths(let paths) = rule.source {
            let absent = paths.filter { path in samples.allSatisfy { path.lookup(in: $0) == nil } }
            for path in absent {
                let fatal = paths.count == absent.count && (rule.required ?? field?.required ?? false) && rule.defaultValue == nil
                report(fatal ? .error : .warning, location + ".from",
                    "field '\(rule.target)': source path '\(path.text)' occurs in none of the \(samples.count) sample records"
                        + (fatal ? " and the field is required, so every record would be rejected" : ""))
            }
        } else if case .expression(let expression) = rule.source {
            for path in expression.paths where samples.allSatisfy({ path.lookup(in: $0) == nil }) {
                report(.warning, location + ".expr", "field '\(rule.target)': path '\(path.text)' in the expression occurs in none of the \(samples.count) sample records")
            }
        }
        // Likely mis-mapping: share of sample values that fail the target's type or domain.
        if case .constant = rule.source { return }
        let conversion = conversion(rule, field, spec)
        var tried = 0
        var failed: [(JSONValue, FieldConversion.Failure)] = []
        for sample in samples {
            var value: JSONValue?
            switch rule.source {
            case .paths(let paths):
                value = paths.lazy.compactMap { $0.lookup(in: sample) }.first { !$0.isEmptyValue }
            case .expression(let expression):
                value = try? expression.evaluate(sample)
            case .constant:
                value = nil
            }
            guard let value, !value.isEmptyValue else { continue }
            tried += 1
            do throws(FieldConversion.Failure) {
                _ = try conversion.convert(value)
            } catch {
                failed.append((value, error))
            }
        }
        guard tried >= options.minimumSampleValues, !failed.isEmpty else { return }
        let share = Double(failed.count) / Double(tried)
        var examples: [String] = []
        for (value, _) in failed where !examples.contains(value.shortDisplay) && examples.count < 3 {
            examples.append(value.shortDisplay)
        }
        let percent = Int((share * 100).rounded())
        let target = field.map { describe($0) } ?? conversion.type.rawValue
        let codes = Set(failed.map(\.1.code.rawValue)).sorted().joined(separator: ", ")
        if share > options.misMappingThreshold {
            report(.error, location,
                "likely mis-mapping: \(percent)% (\(failed.count) of \(tried)) of sample values of \(rule.sourceDescription) do not fit field '\(rule.target)' (\(target)): \(codes); examples: \(examples.joined(separator: ", ")) — check that the source field is the right one, or add a value map")
        } else {
            // What happens to such records depends on on_error (and on whether the field is required).
            let consequence = !rule.omitOnError
                ? "such records will go to the DLQ"
                : (field?.required == true
                    ? "on_error: omit leaves the field empty, and it is required, so such records go to the DLQ as required_missing"
                    : "on_error: omit leaves the field empty in such records (counted in syncline_field_empty_total)")
            report(.warning, location,
                "\(percent)% (\(failed.count) of \(tried)) of sample values of \(rule.sourceDescription) do not fit field '\(rule.target)' (\(target)): \(codes); examples: \(examples.joined(separator: ", ")); \(consequence)")
        }
    }
}
