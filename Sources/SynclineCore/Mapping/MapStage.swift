/// The map stage: for every route whose `when` holds, builds the canonical JSON record from the field
/// rules (fields in the topic schema's order), keys it by the route's key field, and carries the
/// input's trace headers. A record no route takes is rejected with `no_route`.
public struct MapStage: RecordStage {
    public let name = "map"
    public let connector: String
    let routes: [CompiledRoute]

    /// One rule, resolved against the schema once.
    struct CompiledRule: Sendable {
        let target: String
        let source: FieldRule.Source
        let required: Bool
        let defaultValue: JSONValue?
        let conversion: FieldConversion
        let sourceDescription: String
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
    }

    public init(spec: ConnectorSpec, catalog: TopicCatalog?) {
        connector = spec.name
        routes = spec.routes.map { Self.compile($0, spec: spec, schema: catalog?[$0.topic]?.schema) }
    }

    static func compile(_ route: RouteSpec, spec: ConnectorSpec, schema: [FieldSchema]?) -> CompiledRoute {
        var order: [String: Int] = [:]
        for (index, field) in (schema ?? []).enumerated() { order[field.name] = index }
        let fallback = order.count
        var compiled: [(Int, CompiledRule)] = []
        for (index, rule) in route.fields.enumerated() {
            let field = schema?.first { $0.name == rule.target }
            let type = rule.type ?? field?.type ?? .string
            let zone = TimestampParser.Zone(rule.timezone ?? spec.defaults.timezone) ?? .fixed(seconds: 0)
            let conversion = FieldConversion(
                type: type, scale: rule.scale ?? field?.scale, maxLength: rule.maxLength ?? field?.maxLength,
                trim: rule.trim ?? true, phone: PhoneNormalizer(defaultRegion: rule.region ?? spec.defaults.phoneRegion),
                timestamps: TimestampParser(defaultZone: zone), enumMap: rule.map, enumValues: field?.values)
            compiled.append((order[rule.target] ?? (fallback + index), CompiledRule(
                target: rule.target, source: rule.source, required: rule.required ?? field?.required ?? false,
                defaultValue: rule.defaultValue, conversion: conversion, sourceDescription: rule.sourceDescription)))
        }
        compiled.sort { $0.0 < $1.0 }
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
        return CompiledRoute(
            route: route, rules: compiled.map(\.1), extra: route.extra, usedExtraKeys: usedKeys, extraPosition: extraPosition)
    }

    public func process(_ context: inout RecordContext) throws(Rejection) {
        var matched = false
        for compiled in routes {
            let route = compiled.route
            if compiled.route.isPassthrough {
                if let when = route.when {
                    guard let document = context.document, when.matches(document) else { continue }
                }
                let input = context.input
                context.outputs.append(OutputRecord(topic: route.topic, key: input.key, value: input.value, headers: input.headers))
                context.routes.append(route.name)
                matched = true
                continue
            }
            guard let document = context.document else {
                throw Rejection(stage: .map, code: ErrorCode.notDecoded.rawValue,
                    message: "connector \(connector), route \(route.name): no decoded document (the decode stage did not run)", rule: route.name)
            }
            if let when = route.when, !when.matches(document) { continue }
            matched = true
            let members = try map(document, compiled)
            context.outputs.append(try output(members, compiled, context.input))
            context.routes.append(route.name)
        }
        if !matched {
            let conditions = routes.compactMap { $0.route.when.map { "\($0.text)" } }
            throw Rejection(stage: .map, code: ErrorCode.noRoute.rawValue,
                message: "connector \(connector): no route matched (conditions: \(conditions.joined(separator: " | ")))")
        }
    }

    func failure(_ compiled: CompiledRoute, _ rule: CompiledRule, _ code: ErrorCode, _ reason: String) -> Rejection {
        Rejection(stage: .map, code: code.rawValue, field: rule.target,
            message: "connector \(connector), route \(compiled.route.name), field \(rule.target) (\(rule.sourceDescription)): \(reason)",
            rule: compiled.route.name)
    }

    /// The canonical members in schema order.
    func map(_ document: JSONValue, _ compiled: CompiledRoute) throws(Rejection) -> [(String, JSONValue)] {
        var members: [(String, JSONValue)] = []
        members.reserveCapacity(compiled.rules.count + 1)
        for (index, rule) in compiled.rules.enumerated() {
            if index == compiled.extraPosition, let extra = compiled.extra {
                members.append((extra.into, extraObject(document, extra, compiled.usedExtraKeys)))
            }
            var value: JSONValue?
            switch rule.source {
            case .paths(let paths):
                for path in paths {
                    if let found = path.lookup(in: document), !found.isEmptyValue {
                        value = found
                        break
                    }
                }
            case .constant(let constant):
                value = constant
            case .expression(let expression):
                do {
                    value = try expression.evaluate(document)
                } catch {
                    throw failure(compiled, rule, error.code, error.reason)
                }
            }
            if value == nil || value?.isEmptyValue == true { value = rule.defaultValue }
            guard let present = value, !present.isEmptyValue else {
                if rule.required { throw failure(compiled, rule, .requiredMissing, "required, but the source is missing, null or empty") }
                continue
            }
            do {
                members.append((rule.target, try rule.conversion.convert(present)))
            } catch {
                throw failure(compiled, rule, error.code, error.reason)
            }
        }
        if compiled.extraPosition >= compiled.rules.count, let extra = compiled.extra {
            members.append((extra.into, extraObject(document, extra, compiled.usedExtraKeys)))
        }
        return members
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
