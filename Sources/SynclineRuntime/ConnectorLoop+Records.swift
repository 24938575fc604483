import Foundation
import Logging
import SynclineMapping
import SynclineKafka

extension ConnectorLoop {
    /// Runs records through the pipeline and settles them, in order, on the loop's thread — or, with
    /// a pipeline worker, through the worker, waiting for it. The caller has settled every batch
    /// mapped before these (`finishMapping`), so the worker is idle.
    func process(_ records: [InputRecord]) {
        let consumeMs = EpochClock.nowMs()
        let admitted = admissible(records)
        guard !admitted.isEmpty else { return afterSettling() }
        if let worker {
            settle(worker.mapNow(admitted, consumeMs: consumeMs).records, consumeMs: consumeMs)
        } else if let mapper {
            settle(mapper.map(admitted), consumeMs: consumeMs)
        }
    }

    /// The records that may enter the pipeline now. Records of partitions no longer assigned
    /// (librdkafka 2.0.2 can still return them right after a revoke) are dropped uncommitted: their
    /// next owner reads them. Records of a partition out of rate-limit tokens are parked.
    func admissible(_ records: [InputRecord]) -> [InputRecord] {
        let now = RuntimeClock.nanos()
        var admitted: [InputRecord] = []
        admitted.reserveCapacity(records.count)
        for record in records {
            guard let slot = partitions.slot(topic: record.topic, partition: record.partition) else {
                account.revokedRecordDropped()
                logger.debug("dropped a record of a partition not assigned", metadata: ["offset": "\(record.coordinates)"])
                continue
            }
            if gate.isBlocked(partitions[slot].key, nowNanos: now) {
                parked.append(record)
                continue
            }
            admitted.append(record)
        }
        return admitted
    }

    /// Settles the batch the worker mapped and the loop took but has not settled yet (before a
    /// poll's rebalance may change its partitions, and before stopping).
    func settlePending() {
        guard let mapped = pendingMapped else { return }
        pendingMapped = nil
        settle(mapped.records, consumeMs: mapped.consumeMs)
    }

    /// Settles everything mapped or being mapped: the pending batch, then the worker's.
    func finishMapping() {
        settlePending()
        if let mapped = worker?.waitForBatch() { settle(mapped.records, consumeMs: mapped.consumeMs) }
    }

    /// Takes mapped records in order: one whose partition (or the connector) is out of rate-limit
    /// tokens — or whose partition already has parked records, which go first — is parked, and so
    /// is every later record of that partition; the rest are counted and emitted.
    func settle(_ mapped: [MappedRecord], consumeMs: Int64) {
        let now = RuntimeClock.nanos()
        var consumedTopic: (name: String, count: Int) = ("", 0)
        for item in mapped {
            let record = item.record
            guard let slot = partitions.slot(topic: record.topic, partition: record.partition) else {
                account.revokedRecordDropped()
                continue
            }
            let key = partitions[slot].key
            if gate.isBlocked(key, nowNanos: now) || (!parked.isEmpty && parked.contains { $0.partition == record.partition && $0.topic == record.topic }) {
                parked.append(record)
                continue
            }
            let result: Result<RecordContext, Rejection>
            switch item.outcome {
            case .ran(let ran): result = ran
            case .quarantined(let pill): result = .failure(poisonPill(record, pill))
            }
            let document: JSONValue? = if case .success(let context) = result { context.document } else { nil }
            if case .park(let throttledKey) = gate.admit(record, document: document, nowNanos: now) {
                account.throttled(throttledKey)
                parked.append(record)
                continue
            }
            noteConsumed(record, slot: slot)
            if record.topic != consumedTopic.name {
                account.consumed(consumedTopic.name, count: consumedTopic.count)
                consumedTopic = (record.topic, 0)
            }
            consumedTopic.count += 1
            emit(record, result, slot: slot, consumeMs: consumeMs)
        }
        account.consumed(consumedTopic.name, count: consumedTopic.count)
        afterSettling()
    }

    /// Pauses what parked records wait for.
    func afterSettling() {
        if !parked.isEmpty, let consumer { applyPauses(consumer, nowNanos: RuntimeClock.nanos()) }
    }

    /// Position, lag bookkeeping and the check for input the broker deleted before we read it.
    func noteConsumed(_ record: InputRecord, slot: Int) {
        partitions[slot].lastConsumed = (record.offset, record.timestampMs ?? EpochClock.nowMs())
        // The log start costs a C call: asked only when the offset jumped.
        guard let gap = partitions[slot].gaps.consumed(offset: record.offset, logStart: {
            consumer?.cachedWatermarks(topic: record.topic, partition: record.partition).low
        }) else { return }
        let alert = InputExpiredAlert(
            connector: spec.name, topic: record.topic, partition: record.partition, firstOffset: gap.lowerBound,
            lastOffset: gap.upperBound, raisedAtMs: EpochClock.nowMs())
        account.expired(record.topic, count: Int(alert.count))
        logger.error("input expired: the broker deleted records before they were read", metadata: [
            "topic": "\(record.topic)", "partition": "\(record.partition)",
            "offsets": "\(gap.lowerBound)-\(gap.upperBound)", "records": "\(alert.count)",
        ])
        raiseAlert(alert.record, id: alert.alertID, atMs: alert.raisedAtMs)
    }

    /// Sends a hub alert to hub.alerts.v1. Not tied to an input offset: nothing waits for it, and a
    /// refusal for good is counted as dropped rather than retried forever.
    func raiseAlert(_ record: OutputRecord, id: String, atMs: Int64) {
        let input = InputRecord(topic: "", partition: -1, offset: -1, key: nil, value: nil)
        send(InFlightOutput(
            slot: -1, generation: 0, seq: -1, input: input, output: record, kind: .alert, primary: false, attempts: 1,
            timing: RecordTiming(sourceMs: nil, sourceProblem: nil, consumeMs: atMs, eventID: id)))
    }

    /// A record the hub crashed on twice: its DLQ rejection, counted, logged and alerted.
    func poisonPill(_ record: InputRecord, _ pill: PoisonPillLedger.Suspect) -> Rejection {
        let message = "the hub crashed \(pill.crashes) times on this record (signal \(pill.signal) in stage \(pill.stage.rawValue)); "
            + "it is sent to the DLQ untouched so the connector carries on — the crash is a hub bug to report"
        account.poisonPill(record.topic)
        logger.critical("poison pill: sending a record the hub crashed on twice to the DLQ untouched", metadata: [
            "offset": "\(record.coordinates)", "stage": "\(pill.stage.rawValue)", "signal": "\(pill.signal)",
        ])
        let alert = RecordAlert(
            kind: .poisonPill, connector: spec.name, topic: record.topic, partition: record.partition, offset: record.offset,
            stage: pill.stage, message: "connector \(spec.name): " + message, raisedAtMs: EpochClock.nowMs())
        raiseAlert(alert.record, id: alert.alertID, atMs: alert.raisedAtMs)
        return Rejection(stage: pill.stage, code: ErrorCode.poisonPill.rawValue, field: nil, message: message)
    }

    /// Turns one processed record into in-flight outputs (or its DLQ record) and sends them: the
    /// partition's progress learns how many outputs the offset waits for first, then each is sent
    /// as it is stamped (no list of them is built per record).
    func emit(_ record: InputRecord, _ result: Result<RecordContext, Rejection>, slot: Int, consumeMs: Int64) {
        let generation = partitions[slot].generation
        if let mismatch = result.selfCheckMismatch {
            // The compiled path and the interpreter disagreed; the interpreter's verdict is the one used.
            account.compiledMismatch()
            logger.error("compiled record path disagrees with the interpreter (the interpreter's result is used)", metadata: [
                "offset": "\(record.coordinates)", "difference": "\(mismatch)",
            ])
        }
        switch result {
        case .success(let context):
            account.countFields(context.fieldMarks)
            let seq = partitions[slot].progress.begin(offset: record.offset, outputs: context.outputs.count)
            if context.outputs.isEmpty {
                completed(partitions[slot].progress.advance())
                return
            }
            let route = context.routes.count == 1 ? context.routes.first : context.routes.joined(separator: ",")
            let timing = RecordTiming(
                sourceMs: context.sourceTimeMs, sourceProblem: context.sourceTimeProblem, consumeMs: consumeMs,
                eventID: context.eventID)
            for index in context.outputs.indices {
                let stamped = stamper.stamp(context.outputs[index], context: context, route: route, consumeMs: consumeMs, nowMs: consumeMs)
                send(InFlightOutput(
                    slot: slot, generation: generation, seq: seq, input: record, output: stamped, kind: .output,
                    primary: index == 0, attempts: 1, timing: timing))
            }
        case .failure(let rejection):
            logger.debug("record rejected: \(rejection)", metadata: ["offset": "\(record.coordinates)"])
            if rejection.code == ErrorCode.payloadMissing.rawValue {
                logger.warning("empty or null value sent to the DLQ as payload_missing", metadata: ["offset": "\(record.coordinates)"])
                let alert = RecordAlert(
                    kind: .payloadMissing, connector: spec.name, topic: record.topic, partition: record.partition, offset: record.offset,
                    stage: rejection.stage, message: "connector \(spec.name): \(rejection.message)", raisedAtMs: consumeMs)
                raiseAlert(alert.record, id: alert.alertID, atMs: consumeMs)
            }
            let seq = partitions[slot].progress.begin(offset: record.offset, outputs: 1)
            let timing = RecordTiming(sourceMs: nil, sourceProblem: nil, consumeMs: consumeMs, eventID: nil)
            send(InFlightOutput(
                slot: slot, generation: generation, seq: seq, input: record,
                output: deadLetter(record, rejection, attempts: 1, firstFailedAtMs: consumeMs), kind: .deadLetter,
                primary: false, attempts: 1, firstFailedAtMs: consumeMs, timing: timing, rejection: rejection))
        }
    }

    func deadLetter(_ input: InputRecord, _ rejection: Rejection, attempts: Int, firstFailedAtMs: Int64) -> OutputRecord {
        DeadLetter.record(
            for: input, rejection: rejection, connector: spec.name, mappingVersion: spec.mappingVersion,
            dlqTopic: spec.dlqTopic, attempts: attempts, firstFailedAtMs: firstFailedAtMs)
    }

    /// Enqueues one output. While librdkafka's queue is full it waits for delivery reports, which
    /// are kept for the loop to handle (handling them here could send again, and recurse). While
    /// the sink's breaker is open (or half-open with no probe left) the output waits in the retry
    /// queue instead — counted as outstanding, so consumption stays paused; nothing is dropped.
    func send(_ item: InFlightOutput, breakerChecked: Bool = false) {
        guard let producer else {
            // Between a failed producer and its replacement: wait, never drop.
            item.dueAt = ContinuousClock.now + .seconds(1)
            delivery.retryQueue.append(item)
            account.inFlight(1)
            return
        }
        if !breakerChecked && !gate.breaker.allowCall(nowNanos: RuntimeClock.nanos()) {
            item.dueAt = nil
            delivery.retryQueue.append(item)
            account.inFlight(1)
            return
        }
        item.sentAtNanos = RuntimeClock.nanos()
        let output = item.output
        let token = delivery.track(item)
        account.inFlight(1)
        while true {
            do throws(KafkaError) {
                try producer.produce(output, token: token)
                return
            } catch where error.name == "_QUEUE_FULL" {
                producer.serveDeliveries(timeoutMs: 10) { delivery.deferredReports.append($0) }
                if handle.mode == .crash { return }
            } catch {
                // Refused before it left (unknown topic name, invalid argument …): same path as a failed delivery.
                delivery.deferredReports.append(DeliveryReport(token: token, topic: output.topic, partition: -1, offset: -1, error: error))
                return
            }
        }
    }

    func acknowledge(_ item: InFlightOutput) {
        guard partitions.live(item.slot, generation: item.generation) else { return }
        completed(partitions[item.slot].progress.acknowledge(seq: item.seq))
    }

    func completed(_ records: Int) {
        guard records > 0 else { return }
        account.handled(records)
        handledSinceCommit += records
    }
}

extension Result where Success == RecordContext, Failure == Rejection {
    /// What the sampled self-check found, if the compiled path and the interpreter disagreed.
    var selfCheckMismatch: String? {
        switch self {
        case .success(let context): return context.selfCheckMismatch
        case .failure(let rejection): return rejection.selfCheckMismatch
        }
    }
}
