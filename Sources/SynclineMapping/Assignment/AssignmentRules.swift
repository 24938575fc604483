/// Lead-assignment rules as plain values (parsed by `AssignmentRulesParser` from a connector's
/// `processor_options.rules`): the roster of owners, teams with their choice (round robin or
/// weights with effective dates), city → region, the ordered rules, and the fallback pool.
public struct AssignmentRules: Sendable, Equatable {
    /// A lead field a condition may read, with the canonical lead field it comes from.
    public enum Field: String, Sendable, CaseIterable {
        case region, city, interest, level, source, campaign, medium

        /// The crm.leads.v1 field read (`region` is derived from `city`).
        public var leadField: String {
            switch self {
            case .region, .city: return "city"
            case .interest: return "interest"
            case .level: return "customer_level"
            case .source: return "source_channel"
            case .campaign: return "campaign"
            case .medium: return "utm_medium"
            }
        }
    }

    /// Calendar days `from` (inclusive) … `until` (exclusive), as `YYYY-MM-DD`; nil is open.
    public struct DateRange: Sendable, Equatable {
        public var from: String?
        public var until: String?
        public init(from: String? = nil, until: String? = nil) {
            self.from = from
            self.until = until
        }
        public func contains(_ day: String) -> Bool {
            (from.map { day >= $0 } ?? true) && (until.map { day < $0 } ?? true)
        }
        public static let always = DateRange()
    }

    public struct Owner: Sendable, Equatable {
        public var id: String
        /// Leads per day at most; nil is unlimited.
        public var capacity: Int?
        public init(id: String, capacity: Int? = nil) {
            self.id = id
            self.capacity = capacity
        }
    }

    /// One weight of one owner, in force over `range`.
    public struct Weight: Sendable, Equatable {
        public var owner: String
        public var weight: Int
        public var range: DateRange
        public init(owner: String, weight: Int, range: DateRange = .always) {
            self.owner = owner
            self.weight = weight
            self.range = range
        }
    }

    public enum Choice: String, Sendable, Equatable { case roundRobin = "round_robin", weighted }

    public struct Team: Sendable, Equatable {
        public var name: String
        public var choice: Choice
        public var members: [String]
        /// For `weighted`: every owner's weights (an owner with none in force on a day weighs 0).
        public var weights: [Weight]
        public init(name: String, choice: Choice, members: [String], weights: [Weight] = []) {
            self.name = name
            self.choice = choice
            self.members = members
            self.weights = weights
        }

        /// An owner's weight on `day`: the last entry in force wins; none in force is 0.
        public func weight(of owner: String, on day: String) -> Int {
            weights.last { $0.owner == owner && $0.range.contains(day) }?.weight ?? 0
        }
    }

    /// A condition: the field's value must be one of `values` (case-insensitive); for `interest`
    /// it must contain one of them.
    public struct Condition: Sendable, Equatable {
        public var field: Field
        public var values: [String]
        public init(field: Field, values: [String]) {
            self.field = field
            self.values = values
        }
    }

    public enum Target: Sendable, Equatable {
        case owner(String)
        case team(String)
    }

    public struct Rule: Sendable, Equatable {
        public var name: String
        public var conditions: [Condition]
        public var target: Target
        public var range: DateRange
        public init(name: String, conditions: [Condition], target: Target, range: DateRange = .always) {
            self.name = name
            self.conditions = conditions
            self.target = target
            self.range = range
        }
    }

    public var owners: [Owner]
    public var teams: [Team]
    /// Region name → the cities in it.
    public var regions: [String: [String]]
    public var rules: [Rule]
    /// Where a lead goes that no rule takes.
    public var pool: String
    /// The offset of the rules' calendar from UTC, in minutes (dates are local days).
    public var utcOffsetMinutes: Int

    public init(owners: [Owner], teams: [Team], regions: [String: [String]], rules: [Rule], pool: String, utcOffsetMinutes: Int = 0) {
        self.owners = owners
        self.teams = teams
        self.regions = regions
        self.rules = rules
        self.pool = pool
        self.utcOffsetMinutes = utcOffsetMinutes
    }

    public func owner(_ id: String) -> Owner? { owners.first { $0.id == id } }
    public func team(_ name: String) -> Team? { teams.first { $0.name == name } }

    /// The region of a city (case-insensitive), if the rules name one.
    public func region(ofCity city: String) -> String? {
        let wanted = city.lowercased()
        return regions.keys.sorted().first { regions[$0]?.contains { $0.lowercased() == wanted } == true }
    }

    /// The lead fields the rules read (for the empty-rate metrics).
    public var fieldsRead: [Field] {
        var seen: [Field] = []
        for rule in rules { for condition in rule.conditions where !seen.contains(condition.field) { seen.append(condition.field) } }
        return seen
    }
}
