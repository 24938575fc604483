/// One connector's line in the demo's live summary. The demo knows nothing of the hub: whoever
/// runs it (the CLI) reads these from the running hub and hands them over as a closure.
public struct DemoConnectorStatus: Sendable, Equatable {
    public var name: String
    /// `running`, `paused` or `stopped`.
    public var state: String
    /// The circuit breaker of the connector's sink: `closed`, `half_open` or `open`.
    public var breaker: String
    /// Input records per second over the last sampling interval.
    public var recordsPerSecond: Double
    /// Records produced to canonical topics.
    public var delivered: Int
    /// Records sent to the connector's DLQ.
    public var rejected: Int
    /// Records over the latency SLO (the ledger's count for the last day).
    public var delayed: Int

    public init(name: String, state: String, breaker: String, recordsPerSecond: Double, delivered: Int, rejected: Int, delayed: Int) {
        self.name = name
        self.state = state
        self.breaker = breaker
        self.recordsPerSecond = recordsPerSecond
        self.delivered = delivered
        self.rejected = rejected
        self.delayed = delayed
    }
}
