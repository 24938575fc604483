public import SynclineMapping

/// Decodes `raw.telephony.calls.v1` by content: a body whose first non-blank byte is `{` is JSON
/// (an Asterisk CDR), anything else form encoding (a Twilio callback). It stands in for the
/// declared decode stage, which reads one format only; errors are the same decode rejections.
public struct CallPayloadDecodeStage: RecordStage {
    public let name = "decode"
    let json: DecodeStage
    let form: DecodeStage

    public init(spec: ConnectorSpec) {
        let zone = TimestampParser(defaultZone: TimestampParser.Zone(spec.defaults.timezone) ?? .fixed(seconds: 0))
        json = DecodeStage(connector: spec.name, format: .json, maxPayloadBytes: spec.maxPayloadBytes, timestamps: zone)
        form = DecodeStage(connector: spec.name, format: .form, maxPayloadBytes: spec.maxPayloadBytes, timestamps: zone)
    }

    public func process(_ context: inout RecordContext) throws(Rejection) {
        let first = context.input.value?.first { ![0x20, 0x09, 0x0A, 0x0D, 0xEF, 0xBB, 0xBF].contains($0) }
        if first == UInt8(ascii: "{") || first == UInt8(ascii: "[") {
            try json.process(&context)
        } else {
            try form.process(&context)
        }
    }
}
