/// One problem found in a configuration file, naming the file and the field (a dotted path)
/// so the engineer can go straight to it.
public struct ConfigProblem: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Severity: String, Sendable, Equatable { case error, warning }

    public var file: String
    /// Dotted path of the field inside the file, e.g. `schema.phone.type`; empty for the whole file.
    public var field: String
    public var message: String
    public var severity: Severity
    /// Optional: a connector/route context, filled in by connector checks.
    public var connector: String?
    public var route: String?

    public init(
        file: String, field: String, message: String, severity: Severity = .error,
        connector: String? = nil, route: String? = nil
    ) {
        self.file = file
        self.field = field
        self.message = message
        self.severity = severity
        self.connector = connector
        self.route = route
    }

    public var description: String {
        var location = file
        if let connector { location += " connector \(connector)" }
        if let route { location += " route \(route)" }
        if !field.isEmpty { location += " field \(field)" }
        return "\(severity.rawValue): \(location): \(message)"
    }
}

/// A list of configuration problems thrown together, so every problem is reported, not just the first.
public struct ConfigProblems: Error, Sendable, CustomStringConvertible {
    public var problems: [ConfigProblem]
    public init(_ problems: [ConfigProblem]) { self.problems = problems }
    public var description: String { problems.map(\.description).joined(separator: "\n") }
}
