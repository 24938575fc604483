extension ConnectorSpecParser {
    // Routes and what they are made of: checks, `extra`, field rules and their source paths.
    static func parseRoute(_ node: ConfigNode, index: Int, _ problems: inout [ConfigProblem]) -> RouteSpec? {
        guard node.isMapping else {
            problems.append(node.problem("a route must be a mapping with name and topic (found \(node.kindName))"))
            return nil
        }
        let firstProblem = problems.count
        let name = node["name"]?.string(&problems) ?? "route\(index + 1)"
        defer {
            for problemIndex in firstProblem..<problems.count where problems[problemIndex].route == nil {
                problems[problemIndex].route = name
            }
        }
        node.rejectUnknownKeys(allowed: routeKeys, &problems)
        guard let topic = node.required("topic", &problems)?.string(&problems) else { return nil }
        // Naming is the topic file's business (`naming: external` for topics the project does not
        // own); that the topic is declared at all is checked against the catalog (validate, up).
        var route = RouteSpec(name: name, topic: topic, key: node["key"]?.string(&problems), location: node.path)
        if let whenNode = node["when"], let text = whenNode.string(&problems) {
            do throws(ExpressionError) {
                route.when = try Expression(text)
            } catch {
                problems.append(whenNode.problem("bad condition '\(text)': \(error)"))
            }
        }
        if let fieldsNode = node["fields"] {
            route.fields = parseRules(fieldsNode, &problems)
        }
        if let extraNode = node["extra"] {
            route.extra = parseExtra(extraNode, &problems)
        }
        if let checksNode = node["checks"] {
            route.checks = parseChecks(checksNode, &problems)
        }
        return route
    }

    /// `checks:` / `item_checks:`: a list of `{expr, code, message, field}` (or bare condition strings).
    static func parseChecks(_ node: ConfigNode, _ problems: inout [ConfigProblem]) -> [RouteCheck] {
        guard let items = node.list(&problems) else { return [] }
        var checks: [RouteCheck] = []
        for item in items {
            var exprText: String?
            var code = ErrorCode.checkFailed
            var message = ""
            var field: String?
            if item.isMapping {
                item.rejectUnknownKeys(allowed: checkKeys, &problems)
                exprText = item.required("expr", &problems)?.string(&problems)
                if let codeNode = item["code"], let text = codeNode.string(&problems) {
                    if let known = ErrorCode(rawValue: text), known.stage == .validate {
                        code = known
                    } else {
                        let allowed = ErrorCode.allCases.filter { $0.stage == .validate }.map(\.rawValue).joined(separator: ", ")
                        problems.append(codeNode.problem("unknown check code '\(text)' (use one of: \(allowed); new codes are added to ErrorCode and the README)"))
                    }
                }
                message = item["message"]?.string(&problems) ?? ""
                field = item["field"]?.string(&problems)
            } else {
                exprText = item.string(&problems)
            }
            guard let exprText else { continue }
            do throws(ExpressionError) {
                checks.append(try RouteCheck(expression: try Expression(exprText), code: code, message: message, field: field, location: item.path))
            } catch {
                problems.append(item.problem("bad check '\(exprText)' or its message: \(error)"))
            }
        }
        return checks
    }

    static func parseExtra(_ node: ConfigNode, _ problems: inout [ConfigProblem]) -> ExtraFields? {
        var fromText: String?
        var into = "extra"
        if case .scalar = node.node {
            fromText = node.string(&problems)
        } else {
            node.rejectUnknownKeys(allowed: extraKeys, &problems)
            fromText = node.required("from", &problems)?.string(&problems)
            if let value = node["into"]?.string(&problems) { into = value }
        }
        guard let fromText else { return nil }
        do throws(SourcePath.Malformed) {
            return ExtraFields(from: try SourcePath.parse(fromText), into: into)
        } catch {
            problems.append(node.problem("bad path '\(fromText)': \(error.message)"))
            return nil
        }
    }

    /// `fields` as a mapping (target → rule, or target → source path) or as a list of rules with `to`.
    static func parseRules(_ node: ConfigNode, _ problems: inout [ConfigProblem]) -> [FieldRule] {
        var rules: [FieldRule] = []
        if case .sequence = node.node, let items = node.list(&problems) {
            for item in items {
                guard item.isMapping else {
                    problems.append(item.problem("a field rule in list form must be a mapping with 'to' (found \(item.kindName))"))
                    continue
                }
                guard let target = item.required("to", &problems)?.string(&problems) else { continue }
                if let rule = parseRule(item, target: target, &problems) { rules.append(rule) }
            }
            return rules
        }
        guard let entries = node.entries(&problems) else { return rules }
        for (target, ruleNode) in entries {
            if let rule = parseRule(ruleNode, target: target, &problems) { rules.append(rule) }
        }
        return rules
    }

    static func parsePaths(_ node: ConfigNode, _ problems: inout [ConfigProblem]) -> [SourcePath]? {
        guard let texts = node.strings(&problems) else { return nil }
        var paths: [SourcePath] = []
        for text in texts {
            do throws(SourcePath.Malformed) {
                paths.append(try SourcePath.parse(text))
            } catch {
                problems.append(node.problem("bad source path '\(text)': \(error.message)"))
            }
        }
        if texts.isEmpty { problems.append(node.problem("'from' lists no paths")) }
        return paths.isEmpty ? nil : paths
    }

    static func parseRule(_ node: ConfigNode, target: String, _ problems: inout [ConfigProblem]) -> FieldRule? {
        if !node.isMapping {
            // Shorthand: `email: contact.email` or `phone: [fields.手机, fields.电话]`
            guard let paths = parsePaths(node, &problems) else { return nil }
            return FieldRule(target: target, source: .paths(paths), location: node.path)
        }
        guard node.isMapping else {
            problems.append(node.problem("a field rule must be a source path or a mapping with from/const/expr (found \(node.kindName))"))
            return nil
        }
        node.rejectUnknownKeys(allowed: ruleKeys, &problems)
        let sourceKeys = ["from", "const", "expr"].filter { node[$0] != nil }
        guard sourceKeys.count == 1 else {
            problems.append(node.problem(sourceKeys.isEmpty
                ? "field '\(target)' needs one of 'from', 'const' or 'expr'"
                : "field '\(target)' has \(sourceKeys.joined(separator: " and ")); use exactly one"))
            return nil
        }
        var source: FieldRule.Source
        if let fromNode = node["from"] {
            guard let paths = parsePaths(fromNode, &problems) else { return nil }
            source = .paths(paths)
        } else if let constNode = node["const"] {
            source = .constant(JSONValueYAML.value(constNode.node))
        } else {
            guard let exprNode = node["expr"], let text = exprNode.string(&problems) else { return nil }
            do throws(ExpressionError) {
                source = .expression(try Expression(text))
            } catch {
                problems.append(exprNode.problem("bad expression '\(text)': \(error)"))
                return nil
            }
        }
        var rule = FieldRule(target: target, source: source, location: node.path)
        if let typeNode = node["type"], let text = typeNode.string(&problems) {
            if let type = FieldType(rawValue: text) {
                rule.type = type
            } else {
                let known = FieldType.allCases.map(\.rawValue).joined(separator: ", ")
                problems.append(typeNode.problem("unknown type '\(text)' (use one of: \(known))"))
            }
        }
        rule.required = node["required"]?.bool(&problems)
        if let defaultNode = node["default"] { rule.defaultValue = JSONValueYAML.value(defaultNode.node) }
        if let lengthNode = node["max_length"], let value = lengthNode.int(&problems) {
            if value < 1 { problems.append(lengthNode.problem("max_length must be positive")) }
            rule.maxLength = value
        }
        if let scaleNode = node["scale"], let value = scaleNode.int(&problems) {
            if !(0...18).contains(value) { problems.append(scaleNode.problem("scale must be 0…18, found \(value)")) }
            rule.scale = value
        }
        if let regionNode = node["region"], let region = regionNode.string(&problems) {
            if PhoneNormalizer(defaultRegion: region) == nil {
                let known = PhoneNormalizer.regions.keys.sorted().joined(separator: ", ")
                problems.append(regionNode.problem("unknown phone region '\(region)' (known: \(known))"))
            }
            rule.region = region.uppercased()
        }
        if let zoneNode = node["timezone"], zoneNode.isMapping {
            // `timezone: {from: tz, default: Asia/Shanghai}`: the record names its own zone.
            zoneNode.rejectUnknownKeys(allowed: ["from", "default"], &problems)
            if let from = zoneNode.required("from", &problems)?.string(&problems) {
                do throws(SourcePath.Malformed) {
                    rule.timezoneFrom = try SourcePath.parse(from)
                } catch {
                    problems.append(zoneNode.problem("bad path '\(from)': \(error.message)", field: zoneNode.child("from")))
                }
            }
            if let fallback = zoneNode["default"]?.string(&problems) {
                if TimestampParser.Zone(fallback) == nil {
                    problems.append(zoneNode.problem("unknown time zone '\(fallback)' (use UTC, an offset like +08:00, or an IANA name)", field: zoneNode.child("default")))
                }
                rule.timezone = fallback
            }
        } else if let zoneNode = node["timezone"], let zone = zoneNode.string(&problems) {
            if TimestampParser.Zone(zone) == nil {
                problems.append(zoneNode.problem("unknown time zone '\(zone)' (use UTC, an offset like +08:00, or an IANA name, or {from: <path>} for the record's own zone field)"))
            }
            rule.timezone = zone
        }
        if let mapNode = node["map"], let entries = mapNode.entries(&problems) {
            var map: [String: String] = [:]
            for (key, valueNode) in entries {
                if let value = valueNode.string(&problems) { map[key] = value }
            }
            rule.map = map
        }
        rule.trim = node["trim"]?.bool(&problems)
        if let eachNode = node["each"] {
            let rules = parseRules(eachNode, &problems)
            if rules.isEmpty { problems.append(eachNode.problem("'each' maps no fields")) }
            rule.each = rules
        }
        if let checksNode = node["item_checks"] {
            if node["each"] == nil { problems.append(checksNode.problem("item_checks needs 'each' (they check the mapped items)")) }
            rule.itemChecks = parseChecks(checksNode, &problems)
        }
        if let errorNode = node["on_error"], let text = errorNode.string(&problems) {
            switch text {
            case "omit": rule.omitOnError = true
            case "reject": rule.omitOnError = false
            default: problems.append(errorNode.problem("on_error must be 'reject' (default) or 'omit', found '\(text)'"))
            }
        }
        if let mapOnlyNode = node["map_only"], let flag = mapOnlyNode.bool(&problems) {
            if flag, node["map"] == nil { problems.append(mapOnlyNode.problem("map_only needs a 'map'")) }
            rule.mapOnly = flag
        }
        return rule
    }
}
