/// The decode stage: turns the record value into a document by the connector's format, and reads the
/// upstream event id and source time (falling back to the `ce_id` / `ce_time` headers). A missing or
/// unparseable source time is noted in `sourceTimeProblem`, never a rejection.
public struct DecodeStage: RecordStage {
    public let name = "decode"
    public let connector: String
    public let format: PayloadFormat
    public let csv: CSVOptions
    public let maxPayloadBytes: Int
    public let eventIDPath: SourcePath?
    public let sourceTimestampPath: SourcePath?
    public let timestamps: TimestampParser

    public init(
        connector: String, format: PayloadFormat, csv: CSVOptions = CSVOptions(), maxPayloadBytes: Int = 1 << 20,
        eventIDPath: SourcePath? = nil, sourceTimestampPath: SourcePath? = nil, timestamps: TimestampParser = .utc
    ) {
        self.connector = connector
        self.format = format
        self.csv = csv
        self.maxPayloadBytes = maxPayloadBytes
        self.eventIDPath = eventIDPath
        self.sourceTimestampPath = sourceTimestampPath
        self.timestamps = timestamps
    }

    /// The stage a connector declares (paths that do not parse are ignored; the parser reports them).
    public init(spec: ConnectorSpec) {
        self.init(
            connector: spec.name, format: spec.format, csv: spec.csv, maxPayloadBytes: spec.maxPayloadBytes,
            eventIDPath: spec.eventIDPath.flatMap { try? SourcePath.parse($0) },
            sourceTimestampPath: spec.sourceTimestampPath.flatMap { try? SourcePath.parse($0) },
            timestamps: TimestampParser(defaultZone: TimestampParser.Zone(spec.defaults.timezone) ?? .fixed(seconds: 0)))
    }

    func reject(_ code: ErrorCode, _ reason: String, field: String? = nil) -> Rejection {
        Rejection(stage: .decode, code: code.rawValue, field: field, message: "connector \(connector): \(reason)")
    }

    public func process(_ context: inout RecordContext) throws(Rejection) {
        let needs = "a \(format.rawValue) payload"
        if let missing = PayloadPresenceStage.rejection(for: context.input.value, connector: connector, needs: needs) { throw missing }
        guard let value = context.input.value else { return }
        guard value.count <= maxPayloadBytes else {
            throw reject(.payloadTooLarge, "the value is \(value.count) bytes; the limit (max_payload_bytes) is \(maxPayloadBytes)")
        }
        let document: JSONValue
        do {
            document = try PayloadDecoder.decode(value, format: format, csv: csv)
        } catch {
            throw reject(error.code, "cannot decode the \(format.rawValue) payload: \(error.reason)")
        }
        context.document = document
        let headers = context.input.headers

        if let eventIDPath, let id = eventIDPath.lookup(in: document).flatMap(FieldConversion.scalarText), !id.isEmpty {
            context.eventID = id
        } else if let id = headers.last(named: HeaderNames.ceID)?.text, !id.isEmpty {
            context.eventID = id
        } else if let eventIDPath {
            throw reject(.eventIDMissing, "no event id at '\(eventIDPath.text)' and no \(HeaderNames.ceID) header", field: eventIDPath.text)
        }

        var timeValue: JSONValue?
        if let sourceTimestampPath, let found = sourceTimestampPath.lookup(in: document), !found.isEmptyValue {
            timeValue = found
        } else if let header = headers.last(named: HeaderNames.ceTime)?.text, !header.isEmpty {
            timeValue = .string(header)
        }
        switch timeValue {
        case nil:
            context.sourceTimeProblem = "missing"
        case .number(let literal)?:
            if let ms = try? TimestampParser.epochMilliseconds(literal) { context.sourceTimeMs = ms } else { context.sourceTimeProblem = "unparseable" }
        case .string(let text)?:
            if let ms = try? timestamps.milliseconds(text) { context.sourceTimeMs = ms } else { context.sourceTimeProblem = "unparseable" }
        default:
            context.sourceTimeProblem = "unparseable"
        }
    }
}
