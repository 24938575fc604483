public import SynclineMapping

/// How the telephony processor reads calls (`processor_options` of `connectors/telephony.yaml`).
///
/// Direction of an Asterisk CDR without a `direction` field: a number of at most
/// `extensionMaxDigits` digits (default 6) is one of our extensions; extension → outside number is
/// outbound, outside → extension inbound, extension → extension internal, and outside → outside
/// (a trunk-to-trunk CDR) counts as inbound.
public struct TelephonySettings: Sendable, Equatable {
    public var extensionMaxDigits: Int = 6
    public var phoneRegion: String = MappingDefaults.standardPhoneRegion
    /// The zone of CDR times written without an offset (`defaults.timezone`).
    public var timezone: String = "UTC"
    /// A call's state is forgotten (a changelog tombstone) once no report of it was read for this
    /// long (`state_retention`, default 24 h, wall clock).
    public var stateRetentionMs: Int64 = 86_400_000

    /// The options read below (`processor_options:` of a telephony connector), each with its line of doc.
    public static let options: [ProcessorOption] = [
        ProcessorOption("extension_max_digits", "numbers with at most this many digits are our extensions (direction of CDRs; default 6)"),
        ProcessorOption("state_retention", "a call's state is forgotten (changelog tombstone) after this long without a report (default 24h, at least 1m)"),
    ]

    public static var optionNames: Set<String> { Set(options.map(\.name)) }

    public init() {}

    public init(spec: ConnectorSpec) throws(ConfigProblems) {
        var options = ProcessorOptions(spec: spec, known: Self.optionNames)
        extensionMaxDigits = options.count("extension_max_digits", default: extensionMaxDigits)
        stateRetentionMs = max(60_000, options.duration("state_retention", default: stateRetentionMs))
        phoneRegion = spec.defaults.phoneRegion
        timezone = spec.defaults.timezone
        if !options.problems.isEmpty { throw ConfigProblems(options.problems) }
    }

    /// True for an internal extension number.
    public func isExtension(_ number: String) -> Bool {
        !number.isEmpty && number.count <= extensionMaxDigits && number.allSatisfy(\.isASCII) && number.allSatisfy(\.isNumber)
    }
}
