public import SynclineMapping

/// One case of a fixture file: an input record and what the connector must do with it — produce
/// these outputs, or reject it at this stage with this code (and field).
public struct FixtureCase: Sendable {
    /// What the case expects.
    public enum Expectation: Sendable {
        case outputs([ExpectedOutput])
        case rejection(stage: ErrorStage, code: String, field: String?)
    }

    /// One expected output record; `key` and `value` are compared only when given.
    public struct ExpectedOutput: Sendable {
        public var topic: String
        public var key: String?
        public var value: JSONValue?
    }

    public var name: String
    public var input: InputRecord
    public var expectation: Expectation
    /// Where the case is in the file (`cases[2]`).
    public var location: String
}
