/// `test_hooks:` behaviour only tests may ask for, honoured only by debug builds (the ones the test
/// suite runs): `trap_on_key` makes the runtime trap — a Swift runtime failure, like the overflow
/// that once killed the hub — on the record with that key, in the stage `trap_in_stage` names, so
/// the poison-pill guard can be tested against a real crash of a real process.
public struct TestHooks: Sendable, Equatable {
    public var trapOnKey: [UInt8]
    public var trapInStage: ErrorStage

    public init(trapOnKey: [UInt8], trapInStage: ErrorStage = .map) {
        self.trapOnKey = trapOnKey
        self.trapInStage = trapInStage
    }

    static let keys: Set<String> = ["trap_on_key", "trap_in_stage"]

    static func parse(_ node: ConfigNode, _ problems: inout [ConfigProblem]) -> TestHooks? {
        #if DEBUG
            node.rejectUnknownKeys(allowed: keys, &problems)
            guard let key = node.required("trap_on_key", &problems)?.string(&problems) else { return nil }
            var stage = ErrorStage.map
            if let stageNode = node["trap_in_stage"], let text = stageNode.string(&problems) {
                guard let value = ErrorStage(rawValue: text), value != .produce else {
                    problems.append(stageNode.problem("unknown stage '\(text)' (use one of: decode, map, validate, link)"))
                    return nil
                }
                stage = value
            }
            return TestHooks(trapOnKey: Array(key.utf8), trapInStage: stage)
        #else
            problems.append(node.problem("test_hooks is for the test suite and only honoured by debug builds; remove it"))
            return nil
        #endif
    }
}
