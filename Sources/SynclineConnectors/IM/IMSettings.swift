public import SynclineMapping

/// How the im processor groups and judges conversations (`processor_options` of `connectors/im.yaml`).
///
/// Staff vs external contact: a WeCom id that starts with one of `externalIDPrefixes` (default `wo`,
/// `wm`: WeCom's external_userid prefixes) is an external contact; any other id is a staff member.
/// DingTalk marks its own users with `senderStaffId`; a sender without one is external
/// (`senderId`).
public struct IMSettings: Sendable, Equatable {
    /// A conversation ends after this long without a message (`idle_gap`, default 10 min).
    public var idleGapMs: Int64 = 600_000
    /// …and only once the hub has not absorbed a message of it for this long (`close_quiet`, default
    /// the idle gap capped at 30 s), so reading a backlog does not cut conversations into pieces.
    public var quietMs: Int64 = 30_000
    /// An unlinked conversation with an external contact raises an alert once it lasted longer
    /// than this, first to last message (`unlinked_alert_after`, default 5 min).
    public var unlinkedAlertAfterMs: Int64 = 300_000
    public var externalIDPrefixes: [String] = ["wo", "wm"]
    /// The summary keeps the first `summaryLines` lines (`summary_lines`, default 5), at most
    /// `summaryMaxChars` characters in all (`summary_max_chars`, default 500).
    public var summaryLines: Int = 5
    public var summaryMaxChars: Int = 500
    public var phoneRegion: String = MappingDefaults.standardPhoneRegion
    /// A closed conversation whose activity was acknowledged is forgotten (a changelog tombstone)
    /// once no message of it was read for this long (`state_retention`, default 24 h, wall clock:
    /// longer than any redelivery, so a forgotten message cannot come back as a new one).
    public var stateRetentionMs: Int64 = 86_400_000

    /// The options read below (`processor_options:` of an im connector), each with its line of doc.
    public static let options: [ProcessorOption] = [
        ProcessorOption("idle_gap", "a conversation ends after this long without a message (duration, default 10m)"),
        ProcessorOption("close_quiet", "… and once no message of it was read for this long, so a backlog is not cut up (default: the idle gap, at most 30s)"),
        ProcessorOption("unlinked_alert_after", "an unlinked conversation with an external contact lasting longer raises unlinked_conversation (default 5m)"),
        ProcessorOption("external_id_prefixes", "WeCom external_userid prefixes; any other id is a staff member (list, default [wo, wm])"),
        ProcessorOption("summary_lines", "the activity's summary keeps this many first lines (default 5)"),
        ProcessorOption("summary_max_chars", "… of at most this many characters (default 500, at most 2000)"),
        ProcessorOption("state_retention", "a closed, emitted conversation is forgotten (changelog tombstone) after this long unfed (default 24h)"),
    ]

    public static var optionNames: Set<String> { Set(options.map(\.name)) }

    public init() {}

    /// The settings a connector declares.
    public init(spec: ConnectorSpec) throws(ConfigProblems) {
        var options = ProcessorOptions(spec: spec, known: Self.optionNames)
        idleGapMs = max(1, options.duration("idle_gap", default: idleGapMs))
        quietMs = options.duration("close_quiet", default: min(idleGapMs, 30_000))
        unlinkedAlertAfterMs = options.duration("unlinked_alert_after", default: unlinkedAlertAfterMs)
        externalIDPrefixes = options.strings("external_id_prefixes", default: externalIDPrefixes)
        summaryLines = options.count("summary_lines", default: summaryLines)
        summaryMaxChars = min(2_000, options.count("summary_max_chars", default: summaryMaxChars))
        stateRetentionMs = max(idleGapMs, options.duration("state_retention", default: stateRetentionMs))
        phoneRegion = spec.defaults.phoneRegion
        if !options.problems.isEmpty { throw ConfigProblems(options.problems) }
    }

    /// True for a WeCom external contact id.
    public func isExternal(_ id: String) -> Bool {
        externalIDPrefixes.contains { id.hasPrefix($0) }
    }
}
