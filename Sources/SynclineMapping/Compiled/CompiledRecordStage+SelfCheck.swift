/// The sampled self-check: the record runs on both paths; any difference in outputs, routes,
/// envelope, completeness or verdict is reported on the result, and the interpreter's result wins.
extension CompiledRecordStage {
    func selfCheck(_ context: inout RecordContext) throws(Rejection) {
        var compiled = context
        let run = runCompiled(&compiled)
        var interpreted = context
        var verdict: Rejection?
        do {
            try interpret(&interpreted)
        } catch {
            verdict = error
        }
        let mismatch: String?
        switch (run, verdict) {
        case (.bail, _):
            mismatch = nil
        case (.done, nil):
            mismatch = Self.difference(compiled, interpreted)
        case (.done, let rejection?):
            mismatch = "compiled path produced output, interpreter rejected \(rejection.stage.rawValue)/\(rejection.code)"
        case (.rejected(let rejection), nil):
            mismatch = "compiled path rejected \(rejection.stage.rawValue)/\(rejection.code), interpreter produced output"
        case (.rejected(let mine), let theirs?):
            // The message counts too: the compiled path words a failed check itself.
            mismatch = (mine.stage, mine.code, mine.field, mine.message) == (theirs.stage, theirs.code, theirs.field, theirs.message)
                ? nil
                : "compiled path rejected \(mine.stage.rawValue)/\(mine.code) (\(mine.message)), interpreter \(theirs.stage.rawValue)/\(theirs.code) (\(theirs.message))"
        }
        if var rejection = verdict {
            rejection.selfCheckMismatch = mismatch.map { "connector \(connector), record \(context.input.coordinates): \($0)" }
            throw rejection
        }
        context = interpreted
        context.selfCheckMismatch = mismatch.map { "connector \(connector), record \(context.input.coordinates): \($0)" }
    }

    /// What differs between two successful results (nil when they agree); the document is not compared.
    static func difference(_ compiled: RecordContext, _ interpreted: RecordContext) -> String? {
        if compiled.routes != interpreted.routes { return "routes \(compiled.routes) vs \(interpreted.routes)" }
        if compiled.outputs.count != interpreted.outputs.count { return "\(compiled.outputs.count) outputs vs \(interpreted.outputs.count)" }
        for (mine, theirs) in zip(compiled.outputs, interpreted.outputs) where mine != theirs {
            let show = { (bytes: [UInt8]?) in bytes.map { String(decoding: $0, as: UTF8.self) } ?? "null" }
            if mine.value != theirs.value { return "output to \(mine.topic): \(show(mine.value)) vs \(show(theirs.value))" }
            if mine.key != theirs.key { return "key \(show(mine.key)) vs \(show(theirs.key))" }
            return "output to \(mine.topic) differs in topic or headers"
        }
        if compiled.eventID != interpreted.eventID { return "event id \(compiled.eventID ?? "nil") vs \(interpreted.eventID ?? "nil")" }
        if compiled.sourceTimeMs != interpreted.sourceTimeMs || compiled.sourceTimeProblem != interpreted.sourceTimeProblem {
            return "source time \(compiled.sourceTimeMs.map(String.init) ?? compiled.sourceTimeProblem ?? "nil") vs \(interpreted.sourceTimeMs.map(String.init) ?? interpreted.sourceTimeProblem ?? "nil")"
        }
        if compiled.fieldMarks != interpreted.fieldMarks {
            return "field completeness \(compiled.filledFields) vs \(interpreted.filledFields)"
        }
        return nil
    }
}
