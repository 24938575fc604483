/// Where one canonical field comes from (`syncline lineage --field crm.leads.v1.phone`): per
/// connector and route writing the field's topic, the source paths, constant or expression, the
/// normalisation the rule applies, and the route's condition and checks that involve the field.
/// Read from the parsed connector specs.
public struct FieldLineage: Sendable, Equatable {
    public var connector: String
    public var route: String
    /// `routes[0].fields.phone` in the connector file.
    public var location: String
    public var file: String
    /// `from fields.手机 | fields.手机号`, `expr concat(…)`, `const 'web'`, or how a pass-through route fills it.
    public var source: String
    /// `type phone`, `region CN`, `map 高→A, …`, `on_error: omit`, …
    public var normalisation: [String]
    /// The route's `when`, and every check that reads or names the field.
    public var rules: [String]

    /// Every writer of `field` (`<topic>.<name>`), in connector then route order.
    public static func writers(of field: String, specs: [ConnectorSpec], catalog: TopicCatalog?) -> [FieldLineage] {
        guard let dot = field.lastIndex(of: ".") else { return [] }
        let topic = String(field[..<dot])
        let name = String(field[field.index(after: dot)...])
        var result: [FieldLineage] = []
        for spec in specs.sorted(by: { $0.name < $1.name }) {
            for route in spec.routes where route.topic == topic {
                var entry = FieldLineage(
                    connector: spec.name, route: route.name, location: route.location, file: spec.file, source: "", normalisation: [], rules: [])
                if let when = route.when { entry.rules.append("when \(when.text)") }
                for check in route.checks where check.field == name || check.expression.paths.contains(where: { Self.head($0) == name }) {
                    entry.rules.append("check \(check.expression.text) → \(check.code.rawValue)\(check.message.isEmpty ? "" : ": \(check.message)")")
                }
                if let rule = route.fields.first(where: { $0.target == name }) {
                    entry.location = rule.location
                    entry.source = rule.sourceDescription
                    entry.normalisation = normalisation(rule, spec: spec, schema: catalog?[topic]?.field(name))
                } else if let extra = route.extra, extra.into == name {
                    entry.source = "extra: every member of \(extra.from.text) no rule reads"
                } else if route.isPassthrough {
                    entry.source = "pass-through: the upstream record's own '\(name)', unchanged"
                } else {
                    continue
                }
                result.append(entry)
            }
        }
        return result
    }

    static func head(_ path: SourcePath) -> String? {
        if case .key(let key)? = path.segments.first { return key }
        return nil
    }

    static func normalisation(_ rule: FieldRule, spec: ConnectorSpec, schema: FieldSchema?) -> [String] {
        var out: [String] = []
        if let type = rule.type ?? schema?.type { out.append("type \(type.rawValue)") }
        if (rule.type ?? schema?.type) == .phone { out.append("E.164, region \(rule.region ?? spec.defaults.phoneRegion)") }
        if (rule.type ?? schema?.type) == .timestamp {
            if let from = rule.timezoneFrom {
                out.append("time zone from \(from.text), else \(rule.timezone ?? spec.defaults.timezone)")
            } else {
                out.append("local times in \(rule.timezone ?? spec.defaults.timezone)")
            }
        }
        if let map = rule.map { out.append("map " + map.sorted { $0.key < $1.key }.map { "\($0.key)→\($0.value)" }.joined(separator: ", ")) }
        if rule.mapOnly { out.append("map_only") }
        if rule.trim == true { out.append("trim") }
        if let length = rule.maxLength { out.append("max_length \(length)") }
        if let scale = rule.scale { out.append("scale \(scale)") }
        if let value = rule.defaultValue { out.append("default \(value.shortDisplay)") }
        if rule.required ?? schema?.required ?? false { out.append("required") }
        if rule.omitOnError { out.append("on_error: omit") }
        if let each = rule.each { out.append("each item: " + each.map { "\($0.target) \($0.sourceDescription)" }.joined(separator: "; ")) }
        return out
    }
}
