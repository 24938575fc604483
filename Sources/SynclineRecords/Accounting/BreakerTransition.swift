/// A breaker state change and why it happened (logged and counted).
public struct BreakerTransition: Sendable, Equatable, CustomStringConvertible {
    public var from: BreakerState
    public var to: BreakerState
    public var reason: String

    public init(from: BreakerState, to: BreakerState, reason: String) {
        self.from = from
        self.to = to
        self.reason = reason
    }

    public var description: String { "\(from.rawValue) → \(to.rawValue): \(reason)" }
}
