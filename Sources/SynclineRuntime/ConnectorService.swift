public import ServiceLifecycle

/// Runs a connector inside the hub's `ServiceGroup`: graceful shutdown drains in-flight records
/// and commits before the service returns.
public struct ConnectorService: Service {
    public let runtime: ConnectorRuntime

    public init(runtime: ConnectorRuntime) {
        self.runtime = runtime
    }

    public func run() async throws {
        try await withGracefulShutdownHandler {
            _ = try await runtime.run()
        } onGracefulShutdown: {
            runtime.requestStop()
        }
    }
}
