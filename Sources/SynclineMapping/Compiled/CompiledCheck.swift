/// A route check on the compiled path: its condition over the output's members and, when the
/// interpreter's wording of a failure is known in advance (a message without placeholders, every
/// field it reads absent and so shown as `null`), that wording, so a failing check rejects the
/// record without running the interpreter.
struct CompiledCheck: Sendable {
    let condition: CompiledCondition
    let code: String
    let field: String?
    /// The output members the check reads (-1: a field the output never has).
    let readMembers: [Int]
    /// `MapStage.check`'s message for a failure with every read field absent; nil when only the
    /// interpreter can word it (placeholders, `$in.` paths).
    let message: String?

    init(_ check: RouteCheck, condition: CompiledCondition, members: [String], connector: String, route: String) {
        self.condition = condition
        code = check.code.rawValue
        field = check.field
        var read: [Int] = []
        var shown: [String] = []
        var seen = Set<String>()
        for path in check.expression.paths where seen.insert(path.text).inserted {
            shown.append("\(path.text) = null")
            if path.segments.count == 1, case .key(let key) = path.segments[0] {
                read.append(members.firstIndex(of: key) ?? -1)
            }
        }
        readMembers = read
        var text = ""
        var placeholders = false
        for part in check.parts {
            switch part {
            case .text(let literal): text += literal
            case .value: placeholders = true
            }
        }
        guard !placeholders, check.expression.inputPaths.isEmpty, read.count == shown.count else {
            message = nil
            return
        }
        // RouteCheck.render without placeholders: the text, then the values of the paths it reads.
        if !shown.isEmpty { text += (text.isEmpty ? "" : " ") + "(" + shown.joined(separator: ", ") + ")" }
        let rendered = text.isEmpty ? "check failed: \(check.expression.text)" : text
        message = "connector \(connector), route \(route), check '\(check.expression.text)': \(rendered)"
    }
}
