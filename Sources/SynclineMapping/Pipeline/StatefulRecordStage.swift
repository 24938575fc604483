/// A stage that is not pure: it keeps state between records (the im processor's conversations,
/// the telephony processor's calls) in a local store, committed before `process` returns. Every
/// change is also one more output of the record, to its `changelog` topic, so the input's offset
/// is committed only once the change is in Kafka, and a new owner of the partition restores the
/// store from that compacted topic (Kafka Streams' state-store shape).
public protocol StatefulRecordStage: RecordStage {
    /// `hub.state.<connector>.v1`, or nil when state is kept locally only (tests, `syncline map`).
    var changelog: String? { get }
}
