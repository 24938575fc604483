/// One report about a call, from an Asterisk CDR (complete) or a Twilio status callback (one status).
public struct CallEvent: Sendable, Equatable {
    /// `asterisk` or `twilio` (the `source_system` of the activity).
    public var sourceSystem: String
    /// Asterisk uniqueid, Twilio CallSid.
    public var callID: String
    /// Unique per report: a redelivered report has the same id.
    public var eventID: String
    /// Numbers as written upstream.
    public var from: String
    public var to: String
    /// `inbound`, `outbound` or `internal`.
    public var direction: String
    /// A value of the schema's `disposition` domain.
    public var disposition: String
    public var startMs: Int64?
    public var answerMs: Int64?
    public var endMs: Int64?
    /// When this report happened (Twilio `Timestamp`; CDR end, else start).
    public var atMs: Int64?
    public var durationSeconds: Int?
    public var billableSeconds: Int?
}
