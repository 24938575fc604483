/// The four timestamps of one record's journey (ms since the epoch) and what they add up to.
public struct LatencyObservation: Sendable, Equatable {
    public var sourceMs: Int64
    public var brokerMs: Int64
    public var consumeMs: Int64
    public var ackMs: Int64
    /// `ack − source`: the end-to-end delay.
    public var delayMs: Int64
    public var upstreamMs: Int64
    public var queueMs: Int64
    public var processingMs: Int64
    public var attribution: DelayAttribution
    /// Over the connector's SLO.
    public var delayed: Bool

    public init(
        sourceMs: Int64, brokerMs: Int64, consumeMs: Int64, ackMs: Int64, delayMs: Int64, upstreamMs: Int64,
        queueMs: Int64, processingMs: Int64, attribution: DelayAttribution, delayed: Bool
    ) {
        self.sourceMs = sourceMs
        self.brokerMs = brokerMs
        self.consumeMs = consumeMs
        self.ackMs = ackMs
        self.delayMs = delayMs
        self.upstreamMs = upstreamMs
        self.queueMs = queueMs
        self.processingMs = processingMs
        self.attribution = attribution
        self.delayed = delayed
    }
}
