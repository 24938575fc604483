public import Hummingbird
public import NIOCore

/// The request context of the ingress listener: Hummingbird's basic context plus the peer's
/// address, which keys the per-source rate limit.
public struct IngressRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }

    /// The peer's IP address without the port ("unknown" when the channel has none).
    var sourceAddress: String { remoteAddress?.ipAddress ?? "unknown" }
}
