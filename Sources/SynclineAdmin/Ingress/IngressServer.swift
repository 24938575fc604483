public import Hummingbird
public import Logging

/// The webhook listener (`--ingress HOST:PORT`): serves `/ingest/...` and nothing else, so it can
/// face the internet while the admin API, status page and metrics stay on their own listener.
public enum IngressServer {
    /// Builds the listener as a `Service`; `onListening` receives `http://host:port` once it is bound.
    /// Refuses (`AdminServer.UnsafeConfiguration`) a non-loopback address while any connector's
    /// ingress has `verify: none`.
    public static func make(
        routes: IngressRoutes, address: ListenAddress, logger: Logger,
        onListening: @escaping @Sendable (String) async -> Void = { _ in }
    ) throws -> any ApplicationProtocol {
        try check(unverified: routes.unverifiedConnectors, address: address)
        let router = Router(context: IngressRequestContext.self)
        routes.add(to: router, logger: logger)
        let display = address.description
        let host = String(display[..<(display.lastIndex(of: ":") ?? display.endIndex)])
        return Application(
            router: router,
            configuration: .init(address: .hostname(address.host, port: address.port), serverName: "syncline-ingress"),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? address.port
                await onListening("http://\(host):\(port)")
            },
            logger: logger)
    }

    /// The start-up refusal of unverified webhooks (`verify: none`, these connectors) on an address
    /// others can reach.
    public static func check(unverified: [String], address: ListenAddress) throws {
        guard !address.isLoopback, !unverified.isEmpty else { return }
        throw AdminServer.UnsafeConfiguration(description:
            "refusing to serve webhooks on \(address) with verify: none (connector\(unverified.count == 1 ? "" : "s") \(unverified.joined(separator: ", "))): "
            + "unverified ingress is for loopback only; set a signature scheme or bind the ingress to 127.0.0.1")
    }
}
