import Yams

/// Reads one topic file (`topics/*.yaml`) into a `TopicSpec`, reporting every malformed field.
public enum TopicSpecParser {
    static let topLevelKeys: Set<String> = [
        "name", "description", "partitions", "replication_factor", "config", "key", "format", "schema", "naming",
    ]
    static let fieldKeys: Set<String> = ["type", "required", "values", "description", "scale", "max_length"]

    public static func parse(_ text: String, file: String) throws(ConfigProblems) -> TopicSpec {
        let root = try ConfigNode.parse(text, file: file)
        var problems: [ConfigProblem] = []
        guard root.isMapping else {
            throw ConfigProblems([root.problem("a topic file must be a mapping with name, partitions, … (found \(root.kindName))")])
        }
        root.rejectUnknownKeys(allowed: topLevelKeys, &problems)

        let name = root.required("name", &problems)?.string(&problems) ?? ""
        // `naming: external`: a topic the project does not own (salesforce-leads, erp.orders) keeps its name.
        var external = false
        if let node = root["naming"], let text = node.string(&problems) {
            switch text {
            case "external": external = true
            case "project": external = false
            default: problems.append(node.problem("naming must be 'project' (default) or 'external', found '\(text)'"))
            }
        }
        if !name.isEmpty, !external, TopicSpec.kind(of: name) == nil {
            problems.append(root.problem(
                "topic name '\(name)' does not follow raw.<system>.<entity>.v<N>, crm.<entity>.v<N> or hub.<purpose>[.<connector>].v<N>"
                    + " (a topic the project does not own keeps its name with `naming: external`)",
                field: "name"))
        }
        let description = root["description"]?.string(&problems) ?? ""
        var partitions = 0
        if let node = root.required("partitions", &problems), let value = node.int(&problems) {
            if value < 1 || value > 10_000 {
                problems.append(node.problem("partitions must be between 1 and 10000, found \(value)"))
            }
            partitions = value
        }
        var replication = 1
        if let node = root["replication_factor"], let value = node.int(&problems) {
            if value < 1 { problems.append(node.problem("replication_factor must be at least 1, found \(value)")) }
            replication = value
        }
        var config: [(key: String, value: String)] = []
        if let node = root["config"], let entries = node.entries(&problems) {
            for entry in entries {
                if let value = entry.value.string(&problems) { config.append((entry.key, value)) }
            }
        }
        var key = root["key"]?.string(&problems)
        if let keyNode = root["key"], key?.isEmpty == true || isNull(keyNode) {
            problems.append(keyNode.problem("key is empty: name the schema field that keys the records"))
            key = nil
        }
        var format = PayloadFormat.json
        if let node = root["format"], let text = node.string(&problems) {
            if let value = PayloadFormat(rawValue: text) {
                format = value
            } else {
                problems.append(node.problem("unknown format '\(text)' (use one of: json, xml, form, csv)"))
            }
        }
        var schema: [FieldSchema]?
        if let node = root["schema"] {
            schema = parseSchema(node, &problems)
        } else if TopicSpec.kind(of: name) == .canonical {
            problems.append(root.problem("canonical topic '\(name)' needs a schema", field: "schema"))
        }
        if let key, let schema, !schema.contains(where: { $0.name == key }) {
            problems.append(root.problem("key field '\(key)' is not in the schema", field: "key"))
        }
        if problems.contains(where: { $0.severity == .error }) { throw ConfigProblems(problems) }
        var spec = TopicSpec(
            name: name, description: description, partitions: partitions, replicationFactor: replication,
            config: config, key: key, format: format, schema: schema, file: file)
        spec.isExternal = external
        return spec
    }

    static func parseSchema(_ node: ConfigNode, _ problems: inout [ConfigProblem]) -> [FieldSchema]? {
        guard let entries = node.entries(&problems) else { return nil }
        var fields: [FieldSchema] = []
        for (fieldName, spec) in entries {
            if !NameRules.isSnakeCaseASCII(fieldName) {
                problems.append(spec.problem("field name '\(fieldName)' is not lower snake_case ASCII"))
            }
            guard spec.isMapping else {
                problems.append(spec.problem("expected {type, required, values, description}, found \(spec.kindName)"))
                continue
            }
            spec.rejectUnknownKeys(allowed: fieldKeys, &problems)
            guard let typeNode = spec.required("type", &problems), let typeText = typeNode.string(&problems) else { continue }
            guard let type = FieldType(rawValue: typeText) else {
                let known = FieldType.allCases.map(\.rawValue).joined(separator: ", ")
                problems.append(typeNode.problem("unknown type '\(typeText)' (use one of: \(known))"))
                continue
            }
            var field = FieldSchema(name: fieldName, type: type)
            field.required = spec["required"]?.bool(&problems) ?? false
            field.description = spec["description"]?.string(&problems)
            if let valuesNode = spec["values"], !isNull(valuesNode) {
                let values = valuesNode.strings(&problems) ?? []
                field.values = values
                var seenValues = Set<String>()
                for value in values where !seenValues.insert(value).inserted {
                    problems.append(valuesNode.problem("enum value '\(value)' of field '\(fieldName)' is listed twice"))
                }
                if values.contains("") {
                    problems.append(valuesNode.problem("field '\(fieldName)' lists an empty value"))
                }
            }
            if let scaleNode = spec["scale"], let scale = scaleNode.int(&problems) {
                if !(0...18).contains(scale) { problems.append(scaleNode.problem("scale must be 0…18, found \(scale)")) }
                field.scale = scale
            }
            if let node = spec["max_length"], let maxLength = node.int(&problems) {
                if maxLength < 1 { problems.append(node.problem("max_length must be positive, found \(maxLength)")) }
                field.maxLength = maxLength
            }
            if type == .enum, (field.values ?? []).isEmpty {
                problems.append(spec.problem("enum field '\(fieldName)' needs a non-empty 'values' list", field: spec.child("values")))
            }
            if type == .decimal, field.scale == nil {
                problems.append(spec.problem("decimal field '\(fieldName)' needs a 'scale'", field: spec.child("scale")))
            }
            fields.append(field)
        }
        return fields
    }

    /// A plain YAML null (`key:` with nothing after it, `~`, `null`): treated as absent, not as the text "".
    static func isNull(_ node: ConfigNode) -> Bool {
        guard case .scalar(let scalar) = node.node, scalar.style == .plain else { return false }
        return ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }
}
