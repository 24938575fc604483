/// One option a processor reads from a connector's `processor_options:`, with its line of
/// documentation — declared beside the code that reads it (as Redpanda Connect declares a plugin's
/// config spec), so `syncline validate` and the docs know every option without building anything.
public struct ProcessorOption: Sendable, Equatable {
    public var name: String
    /// What the option sets, its form and its default, in one line.
    public var doc: String

    public init(_ name: String, _ doc: String) {
        self.name = name
        self.doc = doc
    }
}
