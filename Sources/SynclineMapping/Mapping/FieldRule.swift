/// How one canonical field of a route's output is produced: where the value comes from (source
/// paths, a constant or an expression), its type and the normalisation applied.
public struct FieldRule: Sendable {
    /// Where the value comes from.
    public enum Source: Sendable {
        /// The first non-empty value among these paths.
        case paths([SourcePath])
        case constant(JSONValue)
        case expression(Expression)
    }

    /// The canonical field written (a key of the route's `fields`).
    public var target: String
    public var source: Source
    /// The type; nil means "the schema's type for this field".
    public var type: FieldType?
    /// nil means "the schema's `required`".
    public var required: Bool?
    /// Used when the source is missing, null or empty.
    public var defaultValue: JSONValue?
    public var maxLength: Int?
    public var scale: Int?
    /// Default phone region (ISO 3166 alpha-2) for numbers without a country code.
    public var region: String?
    /// Zone for local date-times without an offset (`+08:00`, `Asia/Shanghai`).
    public var timezone: String?
    /// `timezone: {from: tz}`: the record's own zone field (an IANA name or an offset), used for its
    /// local date-times; `timezone` (or the connector's default) applies when the field is absent.
    public var timezoneFrom: SourcePath?
    /// Enum value map, upstream value → canonical value (`高: A`).
    public var map: [String: String]?
    public var trim: Bool?
    /// Where the rule is in the file (`routes[0].fields.phone`), for messages.
    public var location: String
    /// For array fields: every item of the source array is mapped with these rules (paths relative
    /// to the item) into an object with the rules' fields in declared order.
    public var each: [FieldRule]?
    /// Checks on every mapped item of an `each` field (bare paths read the mapped item, `$in.…` the source item).
    public var itemChecks: [RouteCheck] = []
    /// `on_error: omit`: a value that does not convert leaves the field empty instead of rejecting the record.
    public var omitOnError = false
    /// `map_only: true`: only the `map` keys are accepted, never a value that merely looks canonical.
    public var mapOnly = false

    public init(
        target: String, source: Source, type: FieldType? = nil, required: Bool? = nil, defaultValue: JSONValue? = nil,
        maxLength: Int? = nil, scale: Int? = nil, region: String? = nil, timezone: String? = nil,
        map: [String: String]? = nil, trim: Bool? = nil, location: String = ""
    ) {
        self.target = target
        self.source = source
        self.type = type
        self.required = required
        self.defaultValue = defaultValue
        self.maxLength = maxLength
        self.scale = scale
        self.region = region
        self.timezone = timezone
        self.map = map
        self.trim = trim
        self.location = location
    }

    /// Every source path the rule reads.
    public var sourcePaths: [SourcePath] {
        switch source {
        case .paths(let paths): return paths
        case .constant: return []
        case .expression(let expression): return expression.paths
        }
    }

    /// How the source is described in messages: `from fields.手机`, `expr gross - fee`, `const 'web'`.
    public var sourceDescription: String {
        switch source {
        case .paths(let paths): return "from " + paths.map(\.text).joined(separator: " | ")
        case .constant(let value): return "const \(value.shortDisplay)"
        case .expression(let expression): return "expr \(expression.text)"
        }
    }
}
