import SynclineMapping

/// Everything a pipeline decided about one record that must not depend on the path it took: the
/// outputs (topic, key, bytes, headers), routes, envelope and completeness, or the DLQ verdict
/// (stage, code, field and message: the compiled path words a failed check itself). The decoded
/// document is left out: the compiled path builds none.
enum RecordVerdict: Equatable, CustomStringConvertible {
    case produced(outputs: [OutputRecord], routes: [String], eventID: String?, sourceTimeMs: Int64?, problem: String?, filled: [String], empty: [String])
    case rejected(stage: ErrorStage, code: String, field: String?, message: String)

    init(_ result: Result<RecordContext, Rejection>) {
        switch result {
        case .success(let context):
            self = .produced(
                outputs: context.outputs, routes: context.routes, eventID: context.eventID, sourceTimeMs: context.sourceTimeMs,
                problem: context.sourceTimeProblem, filled: context.filledFields, empty: context.emptyFields)
        case .failure(let rejection):
            self = .rejected(stage: rejection.stage, code: rejection.code, field: rejection.field, message: rejection.message)
        }
    }

    var isRejection: Bool {
        if case .rejected = self { return true }
        return false
    }

    var description: String {
        switch self {
        case .produced(let outputs, let routes, let eventID, let time, let problem, let filled, _):
            let values = outputs.map { "\($0.topic) key=\($0.key.map { String(decoding: $0, as: UTF8.self) } ?? "nil") \($0.value.map { String(decoding: $0, as: UTF8.self) } ?? "nil")" }
            return "produced \(routes) id=\(eventID ?? "nil") time=\(time.map(String.init) ?? problem ?? "nil") filled=\(filled) \(values)"
        case .rejected(let stage, let code, let field, let message):
            return "rejected \(stage.rawValue)/\(code) field=\(field ?? "nil"): \(message)"
        }
    }
}
