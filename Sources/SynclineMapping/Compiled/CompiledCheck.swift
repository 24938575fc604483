/// A route check on the compiled path: its condition over the output's members and, when the
/// interpreter's wording of a failure can be known without the mapped values (a message without
/// placeholders or `$in.` paths, every field it reads absent and so shown as `null`), the means to
/// word it (`RouteCheck.rejection`), so a failing check rejects the record without the interpreter.
struct CompiledCheck: Sendable {
    let check: RouteCheck
    let condition: CompiledCondition
    let connector: String
    let route: String
    /// The output members the check reads (-1: a field the output never has).
    let readMembers: [Int]
    /// False when only the interpreter can word a failure (placeholders, `$in.` or nested paths).
    let wordable: Bool

    /// The scope a failure is worded in when every field the check reads is absent.
    static let absentFields = ExpressionScope(document: .object([:]))

    init(_ check: RouteCheck, condition: CompiledCondition, members: [String], connector: String, route: String) {
        self.check = check
        self.condition = condition
        self.connector = connector
        self.route = route
        var read: [Int] = []
        var single = true
        for path in check.expression.paths {
            guard path.segments.count == 1, case .key(let key) = path.segments[0] else {
                single = false
                continue
            }
            read.append(members.firstIndex(of: key) ?? -1)
        }
        readMembers = read
        let placeholders = check.parts.contains { if case .value = $0 { true } else { false } }
        wordable = single && !placeholders && check.expression.inputPaths.isEmpty
    }

    /// Whether a failure can be worded here for this record: the check is wordable and every field
    /// it reads is absent (`present` by member).
    func canWord(present: UnsafeMutableBufferPointer<Bool>) -> Bool {
        wordable && readMembers.allSatisfy { $0 < 0 || !present[$0] }
    }

    /// The interpreter's rejection (when `canWord`), given the reasons of the fields `on_error: omit` left out.
    func rejection(omitted: [String]) -> Rejection {
        check.rejection(connector: connector, route: route, scope: Self.absentFields, omitted: omitted)
    }
}
