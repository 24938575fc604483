/// Receives each connector's activity (metrics and the ledger implement it). Called on the
/// connector's own thread: implementations must be quick and never block on I/O.
public protocol ConnectorObserver: Sendable {
    func record(_ activity: ConnectorActivity)
}

/// An observer that ignores everything (the default, and for tests that do not look).
public struct IgnoringObserver: ConnectorObserver {
    public init() {}
    public func record(_ activity: ConnectorActivity) {}
}
