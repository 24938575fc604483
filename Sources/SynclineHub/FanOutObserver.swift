public import SynclineMapping

/// Hands each connector's activity to several observers (metrics, then the ledger).
public struct FanOutObserver: ConnectorObserver {
    public let observers: [any ConnectorObserver]

    public init(_ observers: [any ConnectorObserver]) {
        self.observers = observers
    }

    public func record(_ activity: ConnectorActivity) {
        for observer in observers { observer.record(activity) }
    }
}
