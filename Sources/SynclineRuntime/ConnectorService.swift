public import ServiceLifecycle

/// Runs a connector inside the hub's `ServiceGroup`: graceful shutdown drains in-flight records
/// and commits before the service returns. An operator's stop (`stopForOperator`) ends a run but
/// not the service: it waits for the start and runs the connector again, so the hub runs on.
public struct ConnectorService: Service {
    public let runtime: ConnectorRuntime

    public init(runtime: ConnectorRuntime) {
        self.runtime = runtime
    }

    public func run() async throws {
        try await withGracefulShutdownHandler {
            repeat {
                _ = try await runtime.run()
            } while await runtime.waitWhileStoppedByOperator()
        } onGracefulShutdown: {
            runtime.requestStop()
        }
    }
}
