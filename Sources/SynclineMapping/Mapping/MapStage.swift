/// The map stage: for every route whose `when` holds, builds the canonical JSON record from the field
/// rules (fields in the topic schema's order), runs the route's checks, keys it by the route's key
/// field, and carries the input's trace headers. A record no route takes is rejected with `no_route`.
/// It also notes which canonical fields were filled or left empty (field completeness), and reads the
/// event id / source time when the connector lists several paths for them.
public struct MapStage: RecordStage {
    public let name = "map"
    public let connector: String
    let routes: [CompiledRoute]
    /// `event_id: [a, b]` / `source_timestamp: [a, b]` (empty when a single path is declared).
    let eventIDPaths: [SourcePath]
    let sourceTimePaths: [SourcePath]
    let timestamps: TimestampParser
    /// Every route's completeness labels, indexed (records mark them by index).
    let fieldLabels: FieldLabels

    /// One rule, resolved against the schema once.
    struct CompiledRule: Sendable {
        let target: String
        let source: FieldRule.Source
        let required: Bool
        let defaultValue: JSONValue?
        /// nil: the value is kept as it is (item rules without a type).
        let conversion: FieldConversion?
        let sourceDescription: String
        let omitOnError: Bool
        /// `timezone: {from: …}`: where the record keeps its own zone for local date-times.
        let zoneFrom: SourcePath?
        /// `each`: rules applied to every item of the source array, in declared order.
        let each: [CompiledRule]?
        let itemChecks: [RouteCheck]
    }

    /// One route, with rules sorted into the schema's field order.
    struct CompiledRoute: Sendable {
        let route: RouteSpec
        let rules: [CompiledRule]
        let extra: ExtraFields?
        /// Members of `extra.from` that rules read, by key.
        let usedExtraKeys: Set<String>
        /// Where the extra field goes among `rules`.
        let extraPosition: Int
        /// Indices into `rules`: a rule reading `$out.x` runs after the rule writing `x`.
        let evaluationOrder: [Int]
        /// Some rule reads `$out`, so produced fields are kept by name while mapping.
        let readsOutput: Bool
        /// The output schema's fields and the label they are counted under for completeness.
        let completeness: [(field: String, label: String)]
        /// Index of the route's first label in the connector's `FieldLabels` (its labels follow in order).
        var completenessBase = 0
    }

    public init(spec: ConnectorSpec, catalog: TopicCatalog?) {
        connector = spec.name
        let mapped = Set(spec.routes.filter { !$0.isPassthrough }.map(\.topic))
        var routes = spec.routes.map {
            Self.compile($0, spec: spec, schema: catalog?[$0.topic]?.schema, qualifyFields: mapped.count > 1)
        }
        var names: [String] = []
        for index in routes.indices {
            routes[index].completenessBase = names.count
            names.append(contentsOf: routes[index].completeness.map(\.label))
        }
        self.routes = routes
        fieldLabels = FieldLabels(names: names)
        eventIDPaths = spec.eventIDPaths.compactMap { try? SourcePath.parse($0) }
        sourceTimePaths = spec.sourceTimestampPaths.compactMap { try? SourcePath.parse($0) }
        timestamps = TimestampParser(defaultZone: TimestampParser.Zone(spec.defaults.timezone) ?? .fixed(seconds: 0))
    }

    static func compileRule(_ rule: FieldRule, field: FieldSchema?, spec: ConnectorSpec, item: Bool) -> CompiledRule {
        let zone = TimestampParser.Zone(rule.timezone ?? spec.defaults.timezone) ?? .fixed(seconds: 0)
        var conversion: FieldConversion?
        if let type = rule.type ?? field?.type ?? (item ? nil : .string) {
            var built = FieldConversion(
                type: type, scale: rule.scale ?? field?.scale, maxLength: rule.maxLength ?? field?.maxLength,
                trim: rule.trim ?? true, phone: PhoneNormalizer(defaultRegion: rule.region ?? spec.defaults.phoneRegion),
                timestamps: TimestampParser(defaultZone: zone), enumMap: rule.map, enumValues: field?.values)
            built.mapOnly = rule.mapOnly
            conversion = built
        }
        return CompiledRule(
            target: rule.target, source: rule.source, required: rule.required ?? field?.required ?? false,
            defaultValue: rule.defaultValue, conversion: conversion, sourceDescription: rule.sourceDescription,
            omitOnError: rule.omitOnError, zoneFrom: rule.timezoneFrom,
            each: rule.each.map { $0.map { compileRule($0, field: nil, spec: spec, item: true) } },
            itemChecks: rule.itemChecks)
    }

    static func compile(_ route: RouteSpec, spec: ConnectorSpec, schema: [FieldSchema]?, qualifyFields: Bool = false) -> CompiledRoute {
        var order: [String: Int] = [:]
        for (index, field) in (schema ?? []).enumerated() { order[field.name] = index }
        let fallback = order.count
        var compiled: [(Int, CompiledRule)] = []
        for (index, rule) in route.fields.enumerated() {
            let field = schema?.first { $0.name == rule.target }
            compiled.append((order[rule.target] ?? (fallback + index), compileRule(rule, field: field, spec: spec, item: false)))
        }
        compiled.sort { $0.0 < $1.0 }
        let rules = compiled.map(\.1)
        var usedKeys = Set<String>()
        var extraPosition = compiled.count
        if let extra = route.extra {
            for rule in route.fields {
                for path in rule.sourcePaths where path.hasPrefix(extra.from) && path.segments.count > extra.from.segments.count {
                    if case .key(let key) = path.segments[extra.from.segments.count] { usedKeys.insert(key) }
                }
            }
            let extraOrder = order[extra.into] ?? (fallback + route.fields.count)
            extraPosition = compiled.firstIndex { $0.0 > extraOrder } ?? compiled.count
        }
        // Evaluation order: dependencies through `$out.<field>` first (a cycle is reported by the linter).
        var index: [String: Int] = [:]
        for (position, rule) in rules.enumerated() { index[rule.target] = position }
        var dependencies: [[Int]] = Array(repeating: [], count: rules.count)
        var readsOutput = false
        for (position, rule) in rules.enumerated() {
            guard case .expression(let expression) = rule.source else { continue }
            for path in expression.outputPaths {
                readsOutput = true
                if case .key(let key) = path.segments[0], let other = index[key], other != position { dependencies[position].append(other) }
            }
            if expression.text.contains("$out") { readsOutput = true }
        }
        var state = Array(repeating: 0, count: rules.count)
        var evaluationOrder: [Int] = []
        func visit(_ node: Int) {
            guard state[node] == 0 else { return }
            state[node] = 1
            for dependency in dependencies[node] { visit(dependency) }
            state[node] = 2
            evaluationOrder.append(node)
        }
        for position in rules.indices { visit(position) }
        let entity = route.topic.split(separator: ".").dropFirst().first.map(String.init) ?? route.topic
        let completeness = (schema ?? []).map { field in (field.name, qualifyFields ? "\(entity).\(field.name)" : field.name) }
        return CompiledRoute(
            route: route, rules: rules, extra: route.extra, usedExtraKeys: usedKeys, extraPosition: extraPosition,
            evaluationOrder: evaluationOrder, readsOutput: readsOutput, completeness: completeness)
    }

    public func process(_ context: inout RecordContext) throws(Rejection) {
        if let document = context.document, !eventIDPaths.isEmpty || !sourceTimePaths.isEmpty {
            try readEnvelope(document, &context)
        }
        var matched = false
        for index in routes.indices {
            if try apply(route: index, &context) { matched = true }
        }
        if !matched {
            let conditions = routes.compactMap { $0.route.when.map { "\($0.text)" } }
            throw Rejection(stage: .map, code: ErrorCode.noRoute.rawValue,
                message: "connector \(connector): no route matched (conditions: \(conditions.joined(separator: " | ")))")
        }
    }

    /// Runs one route on a decoded record: false when its `when` does not take the record.
    func apply(route index: Int, _ context: inout RecordContext) throws(Rejection) -> Bool {
        let compiled = routes[index]
        let route = compiled.route
        if compiled.route.isPassthrough {
            if let when = route.when {
                guard let document = context.document, when.matches(document) else { return false }
            }
            let input = context.input
            context.outputs.append(OutputRecord(topic: route.topic, key: input.key, value: input.value, headers: input.headers))
            context.routes.append(route.name)
            return true
        }
        guard let document = context.document else {
            throw Rejection(stage: .map, code: ErrorCode.notDecoded.rawValue,
                message: "connector \(connector), route \(route.name): no decoded document (the decode stage did not run)", rule: route.name)
        }
        if let when = route.when, !when.matches(document) { return false }
        let mapped = try map(document, compiled)
        if !route.checks.isEmpty { try check(mapped, document, compiled) }
        context.outputs.append(try output(mapped.members, compiled, context.input))
        context.routes.append(route.name)
        noteCompleteness(mapped.members, compiled, &context)
        return true
    }

    /// Event id and source time from the first listed path that has a value (before the headers).
    func readEnvelope(_ document: JSONValue, _ context: inout RecordContext) throws(Rejection) {
        if !eventIDPaths.isEmpty {
            if let id = eventIDPaths.lazy.compactMap({ $0.lookup(in: document).flatMap(FieldConversion.scalarText) }).first(where: { !$0.isEmpty }) {
                context.eventID = id
            } else if context.eventID == nil {
                let listed = eventIDPaths.map(\.text).joined(separator: ", ")
                throw Rejection(stage: .decode, code: ErrorCode.eventIDMissing.rawValue, field: eventIDPaths[0].text,
                    message: "connector \(connector): no event id at any of [\(listed)] and no \(HeaderNames.ceID) header")
            }
        }
        guard !sourceTimePaths.isEmpty,
            let found = sourceTimePaths.lazy.compactMap({ $0.lookup(in: document) }).first(where: { !$0.isEmptyValue })
        else { return }
        var milliseconds: Int64?
        switch found {
        case .number(let literal): milliseconds = try? TimestampParser.epochMilliseconds(literal)
        case .string(let text): milliseconds = try? timestamps.milliseconds(text)
        default: milliseconds = nil
        }
        if let milliseconds {
            context.sourceTimeMs = milliseconds
            context.sourceTimeProblem = nil
        } else if context.sourceTimeMs == nil {
            context.sourceTimeProblem = "unparseable"
        }
    }

    func failure(_ compiled: CompiledRoute, _ rule: CompiledRule, _ code: ErrorCode, _ reason: String, field: String? = nil) -> Rejection {
        let field = field ?? rule.target
        return Rejection(stage: .map, code: code.rawValue, field: field,
            message: "connector \(connector), route \(compiled.route.name), field \(field) (\(rule.sourceDescription)): \(reason)",
            rule: compiled.route.name)
    }

    /// A route's canonical members (schema order) and the fields left out by `on_error: omit`, with why.
    struct Mapped {
        var members: [(String, JSONValue)]
        var omitted: [String]
    }

    /// The raw value of a rule's source (before default and conversion).
    func resolve(_ rule: CompiledRule, _ scope: @autoclosure () -> ExpressionScope, document: JSONValue) throws(FieldConversion.Failure) -> JSONValue? {
        switch rule.source {
        case .paths(let paths):
            for path in paths {
                if let found = path.lookup(in: document), !found.isEmptyValue { return found }
            }
            return nil
        case .constant(let constant):
            return constant
        case .expression(let expression):
            return try expression.evaluate(scope())
        }
    }

    /// The canonical members in schema order.
    func map(_ document: JSONValue, _ compiled: CompiledRoute) throws(Rejection) -> Mapped {
        var values = [JSONValue?](repeating: nil, count: compiled.rules.count)
        var produced: [String: JSONValue] = [:]
        var omitted: [String] = []
        for position in compiled.evaluationOrder {
            let rule = compiled.rules[position]
            var value: JSONValue?
            do {
                value = try resolve(
                    rule, ExpressionScope(document: document, input: document, output: compiled.readsOutput ? .object(produced) : nil),
                    document: document)
            } catch {
                throw failure(compiled, rule, error.code, error.reason)
            }
            if value == nil || value?.isEmptyValue == true { value = rule.defaultValue }
            guard let present = value, !present.isEmptyValue else {
                if rule.required { throw failure(compiled, rule, .requiredMissing, "required, but the source is missing, null or empty") }
                continue
            }
            var converted: JSONValue
            let conversion = try conversion(rule, for: document, compiled)
            do {
                converted = try conversion?.convert(present) ?? present
            } catch {
                if rule.omitOnError, !rule.required {
                    omitted.append("\(rule.target) \(present.shortDisplay) omitted: \(error.reason)")
                    continue
                }
                throw failure(compiled, rule, error.code, error.reason)
            }
            if let each = rule.each { converted = try mapItems(converted, rule, each, document, compiled) }
            values[position] = converted
            if compiled.readsOutput { produced[rule.target] = converted }
        }
        var members: [(String, JSONValue)] = []
        members.reserveCapacity(compiled.rules.count + 1)
        for (position, rule) in compiled.rules.enumerated() {
            if position == compiled.extraPosition, let extra = compiled.extra {
                members.append((extra.into, extraObject(document, extra, compiled.usedExtraKeys)))
            }
            if let value = values[position] { members.append((rule.target, value)) }
        }
        if compiled.extraPosition >= compiled.rules.count, let extra = compiled.extra {
            members.append((extra.into, extraObject(document, extra, compiled.usedExtraKeys)))
        }
        return Mapped(members: members, omitted: omitted)
    }

    /// `each`: maps every item of an array with the item rules, then runs the item checks.
    func mapItems(
        _ value: JSONValue, _ parent: CompiledRule, _ rules: [CompiledRule], _ document: JSONValue, _ compiled: CompiledRoute
    ) throws(Rejection) -> JSONValue {
        guard case .array(let items) = value else {
            throw failure(compiled, parent, .wrongType, "expected an array of items, found \(value.kindName)")
        }
        var mapped: [JSONValue] = []
        mapped.reserveCapacity(items.count)
        for (index, item) in items.enumerated() {
            var object: [String: JSONValue] = [:]
            for rule in rules {
                let field = "\(parent.target)[\(index)].\(rule.target)"
                var value: JSONValue?
                do {
                    value = try resolve(rule, ExpressionScope(document: item, input: document, output: .object(object)), document: item)
                } catch {
                    throw failure(compiled, rule, error.code, error.reason, field: field)
                }
                if value == nil || value?.isEmptyValue == true { value = rule.defaultValue }
                guard let present = value, !present.isEmptyValue else {
                    if rule.required { throw failure(compiled, rule, .requiredMissing, "required, but the source is missing, null or empty", field: field) }
                    continue
                }
                do {
                    object[rule.target] = try rule.conversion?.convert(present) ?? present
                } catch {
                    if rule.omitOnError, !rule.required { continue }
                    throw failure(compiled, rule, error.code, error.reason, field: field)
                }
            }
            let result = JSONValue.object(object)
            for check in parent.itemChecks {
                let scope = ExpressionScope(document: result, input: item)
                guard check.holds(scope) else {
                    let field = "\(parent.target)[\(index)]" + (check.field.map { ".\($0)" } ?? "")
                    throw Rejection(stage: .validate, code: check.code.rawValue, field: field,
                        message: "connector \(connector), route \(compiled.route.name), \(parent.target)[\(index)], check '\(check.expression.text)': \(check.render(scope))",
                        rule: compiled.route.name)
                }
            }
            mapped.append(result)
        }
        return .array(mapped)
    }

    /// The route's checks on the canonical record (`$in` is the decoded input).
    func check(_ mapped: Mapped, _ document: JSONValue, _ compiled: CompiledRoute) throws(Rejection) {
        var object: [String: JSONValue] = [:]
        object.reserveCapacity(mapped.members.count)
        for (name, value) in mapped.members { object[name] = value }
        let scope = ExpressionScope(document: .object(object), input: document)
        for check in compiled.route.checks where !check.holds(scope) {
            throw check.rejection(connector: connector, route: compiled.route.name, scope: scope, omitted: mapped.omitted)
        }
    }

    /// Field completeness: every schema field of the route's topic, filled or empty.
    func noteCompleteness(_ members: [(String, JSONValue)], _ compiled: CompiledRoute, _ context: inout RecordContext) {
        guard !compiled.completeness.isEmpty else { return }
        var filled = Set<String>()
        filled.reserveCapacity(members.count)
        for (name, value) in members where !Self.isEmpty(value) { filled.insert(name) }
        for (offset, entry) in compiled.completeness.enumerated() {
            context.fieldMarks.mark(compiled.completenessBase + offset, filled: filled.contains(entry.field), labels: fieldLabels)
        }
    }

    static func isEmpty(_ value: JSONValue) -> Bool {
        switch value {
        case .array(let items): return items.isEmpty
        case .object(let members): return members.isEmpty
        default: return value.isEmptyValue
        }
    }

    func extraObject(_ document: JSONValue, _ extra: ExtraFields, _ used: Set<String>) -> JSONValue {
        guard case .object(let source)? = extra.from.lookup(in: document) else { return .object([:]) }
        return .object(source.filter { !used.contains($0.key) })
    }

    func output(_ members: [(String, JSONValue)], _ compiled: CompiledRoute, _ input: InputRecord) throws(Rejection) -> OutputRecord {
        let route = compiled.route
        var key = input.key
        if let keyField = route.key {
            guard let value = members.first(where: { $0.0 == keyField })?.1, !value.isNull else {
                throw Rejection(stage: .map, code: ErrorCode.keyMissing.rawValue, field: keyField,
                    message: "connector \(connector), route \(route.name): key field '\(keyField)' has no value", rule: route.name)
            }
            switch value {
            case .string(let text): key = Array(text.utf8)
            case .number(let text): key = Array(text.utf8)
            default: key = JSONWriter.bytes(value)
            }
        }
        var headers: [RecordHeader] = []
        for header in input.headers where header.name == HeaderNames.traceparent || header.name == HeaderNames.tracestate {
            headers.append(header)
        }
        return OutputRecord(topic: route.topic, key: key, value: JSONWriter.bytes(orderedObject: members), headers: headers)
    }
}
