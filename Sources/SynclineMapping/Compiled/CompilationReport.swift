/// Which routes of a connector run compiled and which fall back to the interpreter, and why;
/// printed by `syncline validate` and kept by the compiled stage.
public struct CompilationReport: Sendable, Equatable {
    /// One route's verdict.
    public struct Route: Sendable, Equatable {
        public var name: String
        /// nil when the route runs compiled; otherwise why it is interpreted.
        public var fallbackReason: String?

        public var isCompiled: Bool { fallbackReason == nil }
    }

    /// Why no route of the connector is compiled (processor, format, envelope), when so.
    public var connectorReason: String?
    public var routes: [Route]

    public var compiledRoutes: [String] { routes.filter(\.isCompiled).map(\.name) }

    /// One line per route: `compiled` or `interpreted: <reason>`.
    public var lines: [String] {
        routes.map { route in "route \(route.name): " + (route.fallbackReason.map { "interpreted (\($0))" } ?? "compiled") }
    }
}
