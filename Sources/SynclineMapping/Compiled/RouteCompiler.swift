/// Compiles a route (as the interpreter resolved it against the schema) into a `CompiledRoutePlan`,
/// or says why it stays interpreted. A compiled route is correct by construction: every field it
/// writes is declared by the topic schema with the same type and limits, required fields cannot be
/// left out, and enum outputs are schema values; so its output needs no re-parse or validation.
enum RouteCompiler {
    /// Why a route is not compiled (shown by `syncline validate`).
    struct Refusal: Error, Sendable, Equatable {
        var reason: String
    }

    static func compile(
        _ interpreted: MapStage.CompiledRoute, connector: String, labels: FieldLabels, catalog: TopicCatalog?, trie: inout PathTrie,
        scratch: inout Int
    ) throws(Refusal) -> CompiledRoutePlan {
        let route = interpreted.route
        var when: CompiledCondition?
        if let expression = route.when {
            do {
                when = try CompiledCondition.input(expression.root, trie: &trie)
            } catch {
                throw Refusal(reason: "when '\(expression.text)': \(error.reason)")
            }
        }
        if route.isPassthrough {
            return CompiledRoutePlan(route: route, when: when, passthrough: true, members: [], checks: [], keyMember: -1, completeness: [],
                completenessBase: 0, labels: nil, literalBytes: 0)
        }
        guard let catalog else { throw Refusal(reason: "no topic catalog to compile against") }
        guard let schema = catalog[route.topic]?.schema else { throw Refusal(reason: "topic \(route.topic) has no schema in the catalog") }
        if interpreted.readsOutput { throw Refusal(reason: "a rule reads $out (other canonical fields)") }
        let validator = SchemaValidator(topic: route.topic, fields: schema)
        var members: [CompiledRoutePlan.Member] = []
        var names: [String] = []
        var literalBytes = 0
        func addExtra() throws(Refusal) {
            guard let extra = interpreted.extra else { return }
            guard let field = schema.first(where: { $0.name == extra.into }), field.type == .object else {
                throw Refusal(reason: "extra.into '\(extra.into)' is not an object field of \(route.topic)")
            }
            guard let collector = trie.collector(at: extra.from) else { throw Refusal(reason: "extra.from \(extra.from.text) has an array index") }
            let used = interpreted.usedExtraKeys.sorted()
            guard used.allSatisfy({ StableText.isStable($0) }) else { throw Refusal(reason: "a key read from extra.from is not in a stable Unicode form") }
            let prefix = JSONWriter.bytes(.string(extra.into)) + [UInt8(ascii: ":")]
            literalBytes += prefix.count + 2
            members.append(.extra(prefix: prefix, collector: collector, used: used.map { Array($0.utf8) }))
            names.append(extra.into)
        }
        for (position, rule) in interpreted.rules.enumerated() {
            if position == interpreted.extraPosition { try addExtra() }
            guard let field = schema.first(where: { $0.name == rule.target }) else {
                throw Refusal(reason: "field \(rule.target) is not in the schema of \(route.topic)")
            }
            let plan = try FieldCompiler.compile(rule, field: field, validator: validator, isKey: route.key == rule.target, trie: &trie, scratch: &scratch)
            literalBytes += plan.prefix.count + 1
            members.append(.field(plan))
            names.append(rule.target)
        }
        if interpreted.extraPosition >= interpreted.rules.count { try addExtra() }
        if Set(names).count != names.count { throw Refusal(reason: "two members of the output have the same name") }
        for field in schema where field.required && !names.contains(field.name) {
            throw Refusal(reason: "required field \(field.name) of \(route.topic) has no rule")
        }
        var keyMember = -1
        if let key = route.key {
            guard let index = names.firstIndex(of: key), key != interpreted.extra?.into else {
                throw Refusal(reason: "the key field \(key) is not a field rule")
            }
            keyMember = index
        }
        var checks: [CompiledCheck] = []
        for check in route.checks {
            do {
                let condition = try CompiledCondition.output(check.expression.root, members: names)
                checks.append(CompiledCheck(check, condition: condition, members: names, connector: connector, route: route.name))
            } catch {
                throw Refusal(reason: "check '\(check.expression.text)': \(error.reason)")
            }
        }
        let completeness = interpreted.completeness.map { entry in names.firstIndex(of: entry.field) ?? -1 }
        return CompiledRoutePlan(
            route: route, when: when, passthrough: false, members: members, checks: checks, keyMember: keyMember,
            completeness: completeness, completenessBase: interpreted.completenessBase,
            labels: completeness.isEmpty ? nil : labels, literalBytes: literalBytes)
    }
}
