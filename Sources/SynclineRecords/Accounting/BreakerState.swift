/// The three states of a circuit breaker (exported as 0 closed, 1 half-open, 2 open).
public enum BreakerState: String, Sendable, Equatable, Codable {
    case closed
    case halfOpen = "half_open"
    case open

    public var gaugeValue: Double {
        switch self {
        case .closed: return 0
        case .halfOpen: return 1
        case .open: return 2
        }
    }
}
