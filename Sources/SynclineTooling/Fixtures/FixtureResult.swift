/// The outcome of one fixture case: passed, or failed with a readable diff (one line per difference).
public struct FixtureResult: Sendable, CustomStringConvertible {
    public var file: String
    public var connector: String
    public var name: String
    public var passed: Bool
    public var diff: [String]

    public var description: String {
        let head = "\(passed ? "PASS" : "FAIL") \(connector) \(file) — \(name)"
        return passed ? head : ([head] + diff.map { "    " + $0 }).joined(separator: "\n")
    }
}
