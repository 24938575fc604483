/// A route's `extra`: every member of the object at `from` that no rule reads is collected into the
/// canonical object field `into`, so unplanned form fields are kept rather than silently dropped.
public struct ExtraFields: Sendable {
    public var from: SourcePath
    public var into: String

    public init(from: SourcePath, into: String = "extra") {
        self.from = from
        self.into = into
    }
}
