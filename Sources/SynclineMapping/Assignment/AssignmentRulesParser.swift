/// Reads lead-assignment rules from a connector file's `processor_options.rules` (the connector's
/// own text, so every problem names the file and the dotted field), collecting every problem:
/// unknown keys and condition fields, malformed dates and weights, owners missing from the roster,
/// unknown teams. `AssignmentRulesCheck` adds what needs the whole rule set (unreachable rules,
/// days on which a team weighs 0 everywhere).
public enum AssignmentRulesParser {
    /// The rules of an assignment connector, and every problem found (errors and warnings).
    public static func parse(spec: ConnectorSpec) -> (rules: AssignmentRules?, problems: [ConfigProblem]) {
        var problems: [ConfigProblem] = []
        let root: ConfigNode
        do throws(ConfigProblems) {
            root = try ConfigNode.parse(spec.content, file: spec.file)
        } catch {
            return (nil, error.problems)
        }
        guard let node = root["processor_options"]?["rules"] else {
            return (nil, [root.problem("an assignment connector needs processor_options.rules", field: "processor_options.rules")])
        }
        let rules = parse(node, &problems)
        if let rules { problems += AssignmentRulesCheck.problems(rules, node: node) }
        return (rules, problems.map { var p = $0; p.connector = spec.name; return p })
    }

    static func parse(_ node: ConfigNode, _ problems: inout [ConfigProblem]) -> AssignmentRules? {
        node.rejectUnknownKeys(allowed: ["timezone", "pool", "roster", "regions", "teams", "rules"], &problems)
        guard node.isMapping else {
            problems.append(node.problem("expected a mapping with roster, teams, rules and pool"))
            return nil
        }
        let pool = node.required("pool", &problems)?.string(&problems) ?? ""
        var offset = 0
        if let zone = node["timezone"], let text = zone.string(&problems) {
            if let minutes = utcOffsetMinutes(text) { offset = minutes } else { problems.append(zone.problem("expected an offset like +08:00 or Z, found '\(text)'")) }
        }
        var owners: [AssignmentRules.Owner] = []
        for item in node.required("roster", &problems)?.list(&problems) ?? [] {
            if item.isMapping {
                item.rejectUnknownKeys(allowed: ["id", "capacity"], &problems)
                guard let id = item.required("id", &problems)?.string(&problems) else { continue }
                let capacity = item["capacity"]?.int(&problems)
                if let capacity, capacity < 0 { problems.append(item.problem("capacity must be 0 or more", field: item.child("capacity"))) }
                owners.append(.init(id: id, capacity: capacity))
            } else if let id = item.string(&problems) {
                owners.append(.init(id: id))
            }
        }
        var regions: [String: [String]] = [:]
        for (name, cities) in node["regions"]?.entries(&problems) ?? [] { regions[name] = cities.strings(&problems) ?? [] }
        var teams: [AssignmentRules.Team] = []
        for (name, team) in node["teams"]?.entries(&problems) ?? [] {
            if let parsed = parseTeam(name, team, &problems) { teams.append(parsed) }
        }
        var rules: [AssignmentRules.Rule] = []
        for item in node.required("rules", &problems)?.list(&problems) ?? [] {
            if let rule = parseRule(item, &problems) { rules.append(rule) }
        }
        let parsed = AssignmentRules(owners: owners, teams: teams, regions: regions, rules: rules, pool: pool, utcOffsetMinutes: offset)
        checkNames(parsed, node: node, &problems)
        return parsed
    }

    static func parseTeam(_ name: String, _ team: ConfigNode, _ problems: inout [ConfigProblem]) -> AssignmentRules.Team? {
        team.rejectUnknownKeys(allowed: ["choice", "members", "weights"], &problems)
        let choiceText = team["choice"]?.string(&problems) ?? "round_robin"
        guard let choice = AssignmentRules.Choice(rawValue: choiceText) else {
            problems.append(team.problem("choice must be round_robin or weighted, found '\(choiceText)'", field: team.child("choice")))
            return nil
        }
        var members = team["members"]?.strings(&problems) ?? []
        var weights: [AssignmentRules.Weight] = []
        for item in team["weights"]?.list(&problems) ?? [] {
            item.rejectUnknownKeys(allowed: ["owner", "weight", "from", "until"], &problems)
            guard let owner = item.required("owner", &problems)?.string(&problems),
                  let weight = item.required("weight", &problems)?.int(&problems) else { continue }
            if weight < 0 { problems.append(item.problem("weight must be 0 or more", field: item.child("weight"))) }
            weights.append(.init(owner: owner, weight: max(0, weight), range: dateRange(item, &problems)))
            if !members.contains(owner) { members.append(owner) }
        }
        if choice == .weighted && weights.isEmpty {
            problems.append(team.problem("a weighted team needs weights", field: team.child("weights")))
        }
        if members.isEmpty { problems.append(team.problem("team \(name) has no members")) }
        return .init(name: name, choice: choice, members: members, weights: weights)
    }

    static func parseRule(_ item: ConfigNode, _ problems: inout [ConfigProblem]) -> AssignmentRules.Rule? {
        item.rejectUnknownKeys(allowed: ["name", "when", "owner", "team", "from", "until"], &problems)
        guard let name = item.required("name", &problems)?.string(&problems) else { return nil }
        var conditions: [AssignmentRules.Condition] = []
        for (key, values) in item["when"]?.entries(&problems) ?? [] {
            guard let field = AssignmentRules.Field(rawValue: key) else {
                let known = AssignmentRules.Field.allCases.map(\.rawValue).joined(separator: ", ")
                problems.append(values.problem("rule \(name): unknown lead field '\(key)' (known: \(known))"))
                continue
            }
            let list = values.strings(&problems) ?? []
            if list.isEmpty { problems.append(values.problem("rule \(name): \(key) needs at least one value")) }
            conditions.append(.init(field: field, values: list))
        }
        let owner = item["owner"]?.string(&problems)
        let team = item["team"]?.string(&problems)
        let target: AssignmentRules.Target
        switch (owner, team) {
        case (let owner?, nil): target = .owner(owner)
        case (nil, let team?): target = .team(team)
        default:
            problems.append(item.problem("rule \(name): give exactly one of owner or team"))
            return nil
        }
        return .init(name: name, conditions: conditions, target: target, range: dateRange(item, &problems))
    }

    static func dateRange(_ node: ConfigNode, _ problems: inout [ConfigProblem]) -> AssignmentRules.DateRange {
        func day(_ key: String) -> String? {
            guard let child = node[key], let text = child.string(&problems) else { return nil }
            guard isDay(text) else {
                problems.append(child.problem("expected a date YYYY-MM-DD, found '\(text)'"))
                return nil
            }
            return text
        }
        let range = AssignmentRules.DateRange(from: day("from"), until: day("until"))
        if let from = range.from, let until = range.until, from >= until {
            problems.append(node.problem("from \(from) is not before until \(until): never in effect"))
        }
        return range
    }

    static func checkNames(_ rules: AssignmentRules, node: ConfigNode, _ problems: inout [ConfigProblem]) {
        let roster = Set(rules.owners.map(\.id))
        for team in rules.teams {
            for member in team.members where !roster.contains(member) {
                problems.append(node.problem("team \(team.name): owner \(member) is not in the roster", field: node.child("teams.\(team.name)")))
            }
        }
        for (index, rule) in rules.rules.enumerated() {
            let field = node.child("rules[\(index)]")
            switch rule.target {
            case .owner(let owner) where !roster.contains(owner):
                problems.append(node.problem("rule \(rule.name): owner \(owner) is not in the roster", field: field))
            case .team(let team) where rules.team(team) == nil:
                problems.append(node.problem("rule \(rule.name): unknown team \(team)", field: field))
            default: break
            }
            if rule.conditions.contains(where: { $0.field == .region }) && rules.regions.isEmpty {
                problems.append(node.problem("rule \(rule.name) reads region, but no regions are declared", field: field))
            }
        }
        if rules.pool.isEmpty { problems.append(node.problem("pool must name the fallback pool", field: node.child("pool"))) }
    }

    static func isDay(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let month = Int(parts[1]), let date = Int(parts[2]), Int(parts[0]) != nil else { return false }
        return (1...12).contains(month) && (1...31).contains(date)
    }

    /// `+08:00`, `-05:30`, `Z` → minutes east of UTC.
    static func utcOffsetMinutes(_ text: String) -> Int? {
        if text == "Z" || text == "UTC" { return 0 }
        let chars = Array(text)
        guard chars.count == 6, chars[0] == "+" || chars[0] == "-", chars[3] == ":",
              let hours = Int(String(chars[1...2])), let minutes = Int(String(chars[4...5])), hours < 15, minutes < 60 else { return nil }
        return (chars[0] == "-" ? -1 : 1) * (hours * 60 + minutes)
    }
}
