/// One consumed record on its way through a connector's stages: the untouched input, what the
/// stages have learned about it (document, event id, source time) and the outputs they produced.
public struct RecordContext: Sendable {
    public let input: InputRecord
    /// The decoded payload, set by the decode stage.
    public var document: JSONValue?
    /// The upstream event id (becomes `ce_id`).
    public var eventID: String?
    /// When the event happened upstream, ms since the epoch, when known.
    public var sourceTimeMs: Int64?
    /// Why the source time is unknown, when it is (`missing`, `unparseable`), for the latency counters.
    public var sourceTimeProblem: String?
    /// The records to produce for this input (canonical outputs, alerts); empty means "nothing to emit".
    public var outputs: [OutputRecord]
    /// Names of the routes that matched, in order.
    public var routes: [String]
    /// Canonical fields the mapping checked and filled, by label index (for field-completeness counts).
    public var fieldMarks = FieldMarks()
    /// Canonical fields the mapping filled, and those it left empty, by label, in order.
    public var filledFields: [String] { fieldMarks.filledFields }
    public var emptyFields: [String] { fieldMarks.emptyFields }
    /// Set when the sampled self-check found the compiled path and the interpreter disagreeing on
    /// this record (what differed); the context then holds the interpreter's result. The runtime
    /// counts it (`syncline_compiled_mismatch_total`) and logs it loudly.
    public var selfCheckMismatch: String?

    public init(input: InputRecord) {
        self.input = input
        self.document = nil
        self.eventID = nil
        self.sourceTimeMs = nil
        self.sourceTimeProblem = nil
        self.outputs = []
        self.routes = []
    }
}
