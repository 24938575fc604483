/// For plain routes of a `format: json` connector, which pass records through without decoding:
/// refuses a value that is not strict JSON at stage `decode` with the parser's code (`invalid_json`
/// or `invalid_utf8`), using the byte-level validator instead of a parse. Duplicate keys pass (a
/// plain route reads no keys). Null and empty values are `PayloadPresenceStage`'s (it runs first).
public struct JSONValidateStage: RecordStage {
    public let name = "decode"
    public let connector: String

    public init(connector: String) {
        self.connector = connector
    }

    public func process(_ context: inout RecordContext) throws(Rejection) {
        guard let value = context.input.value, !JSONByteValidator.isValid(value) else { return }
        guard let failure = JSONByteValidator.failure(value) else { return }
        throw Rejection(stage: .decode, code: failure.code.rawValue,
            message: "connector \(connector): cannot decode the json payload: \(failure.reason)")
    }
}
