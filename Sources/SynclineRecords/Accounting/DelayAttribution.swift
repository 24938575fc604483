/// Which part of the journey a delay mostly came from (SPEC §6).
public enum DelayAttribution: String, Sendable, Equatable, Codable, CaseIterable {
    /// `broker_ts − source_ts`: the upstream system was late publishing.
    case upstream
    /// `consume_ts − broker_ts`: the record waited in Kafka for the hub.
    case hubQueue = "hub_queue"
    /// `ack_ts − consume_ts`: the hub's own processing and delivery.
    case processing
}
