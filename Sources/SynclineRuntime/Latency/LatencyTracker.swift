public import SynclineMapping

/// Times a record from when it happened upstream to when its output was acknowledged, attributes
/// the delay, and flags it against the connector's SLO (default 90 s). Pure: clocks are passed in.
public struct LatencyTracker: Sendable, Equatable {
    public var sloMs: Int64
    /// How far in the future a source time may be before it counts as clock skew.
    public var skewToleranceMs: Int64

    public init(sloMs: Int64 = 90_000, skewToleranceMs: Int64 = 5_000) {
        self.sloMs = sloMs
        self.skewToleranceMs = skewToleranceMs
    }

    /// - Parameters:
    ///   - sourceMs: upstream occurrence time, nil when unknown (`unknownReason` says why).
    ///   - brokerMs: the Kafka record timestamp; when absent the consume time stands in.
    public func observe(
        sourceMs: Int64?, unknownReason: String? = nil, brokerMs: Int64?, consumeMs: Int64, ackMs: Int64
    ) -> LatencyVerdict {
        guard let sourceMs else { return .unknownSource(reason: unknownReason ?? "missing") }
        if sourceMs - consumeMs > skewToleranceMs { return .clockSkew(aheadMs: sourceMs - consumeMs) }
        // Within the tolerance a slightly-ahead source clock is read as "no delay", never negative.
        let source = min(sourceMs, consumeMs)
        let broker = min(max(brokerMs ?? consumeMs, source), consumeMs)
        let ack = max(ackMs, consumeMs)
        let upstream = broker - source
        let queue = consumeMs - broker
        let processing = ack - consumeMs
        let delay = ack - source
        let attribution: DelayAttribution
        if upstream >= queue && upstream >= processing {
            attribution = .upstream
        } else if queue >= processing {
            attribution = .hubQueue
        } else {
            attribution = .processing
        }
        return .observed(LatencyObservation(
            sourceMs: sourceMs, brokerMs: broker, consumeMs: consumeMs, ackMs: ack, delayMs: delay,
            upstreamMs: upstream, queueMs: queue, processingMs: processing, attribution: attribution,
            delayed: delay > sloMs))
    }
}
