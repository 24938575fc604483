import Foundation
import Logging
import SynclineMapping

/// Runs consumed records through the connector's pipeline under the poison-pill guard, on whichever
/// thread maps them (the loop's, or its `PipelineWorker`'s): the guard registers the thread that
/// creates the mapper, so a fatal signal while a record is mapped is blamed on that record.
/// Confined to that thread; the loop gets `MappedRecord`s back.
final class RecordMapper {
    let pipeline: RecordPipeline
    let spec: ConnectorSpec
    private var poisonGuard: PoisonPillGuard?

    init(pipeline: RecordPipeline, spec: ConnectorSpec, crashMarkDirectory: URL?, logger: Logger) {
        self.pipeline = pipeline
        self.spec = spec
        if let crashMarkDirectory {
            do {
                poisonGuard = try PoisonPillGuard(
                    directory: crashMarkDirectory, connector: spec.name, topics: spec.inputTopics, logger: logger, nowMs: EpochClock.nowMs())
            } catch {
                logger.error("poison-pill guard unavailable (a record that crashes the hub would crash it again on every restart): \(error)")
            }
        }
    }

    /// Maps `records` in order; a record the hub crashed on twice is not run again but reported.
    func map(_ records: [InputRecord]) -> [MappedRecord] {
        var mapped: [MappedRecord] = []
        mapped.reserveCapacity(records.count)
        for record in records {
            if let pill = poisonGuard?.quarantine(record) {
                mapped.append(MappedRecord(record: record, outcome: .quarantined(pill)))
                continue
            }
            poisonGuard?.begin(record)
            #if DEBUG
                trapIfTestHookAsks(record)
            #endif
            let result = pipeline.run(record, stageMark: poisonGuard?.stageMark)
            poisonGuard?.end()
            mapped.append(MappedRecord(record: record, outcome: .ran(result)))
        }
        return mapped
    }

    #if DEBUG
        /// `test_hooks: {trap_on_key: K}`: a real Swift runtime trap on the record keyed K, in the
        /// declared stage, so tests can crash a real hub process on a chosen record.
        private func trapIfTestHookAsks(_ record: InputRecord) {
            guard let hooks = spec.testHooks, record.key == hooks.trapOnKey else { return }
            poisonGuard?.stageMark.pointee = StageMark.byte(for: hooks.trapInStage)
            fatalError("test hook: trap on the record keyed \(String(decoding: hooks.trapOnKey, as: UTF8.self)) at \(record.coordinates)")
        }
    #endif
}

/// A consumed record after the pipeline: its result, or the quarantine entry that kept it out.
struct MappedRecord: Sendable {
    enum Outcome: Sendable {
        case ran(Result<RecordContext, Rejection>)
        case quarantined(PoisonPillLedger.Suspect)
    }

    let record: InputRecord
    let outcome: Outcome
}
