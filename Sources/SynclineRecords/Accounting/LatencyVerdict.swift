/// What the tracker concluded about one record's timing.
public enum LatencyVerdict: Sendable, Equatable {
    case observed(LatencyObservation)
    /// The source time is ahead of the hub's clock by more than the tolerance: counted as skew,
    /// never as a negative delay.
    case clockSkew(aheadMs: Int64)
    /// No usable source time: `missing` or `unparseable`; counted, never guessed.
    case unknownSource(reason: String)
}
