import SynclineMapping

/// The one place a connector's loop counts what happened. Each event is recorded once, here: into
/// the turn's `ConnectorActivity` (handed to observers — metrics, ledger — once per turn) and, for
/// what anyone may read live (CLI summary, admin API), into the shared `ConnectorStats` totals.
/// Call sites never update the two views separately, so they cannot drift apart.
struct ConnectorAccount {
    /// What this turn did so far (handed over and reset by `publish`).
    private(set) var turn: ConnectorActivity
    /// Totals since start and live gauges, shared with readers on other threads.
    let totals: ConnectorStats
    /// Field completeness counted by label index per record, folded into the turn once per turn.
    private var fields = FieldCompletenessCounter()
    /// Acknowledged outputs arrive in runs of one topic: counted here, folded into the turn's
    /// dictionary once per run rather than hashed per record.
    private var producedRun: (topic: String, count: Int) = ("", 0)

    init(connector: String, totals: ConnectorStats, nowMs: Int64) {
        turn = ConnectorActivity(connector: connector, atMs: nowMs)
        self.totals = totals
    }

    // MARK: Counted in both views

    /// `count` input records of `topic` were consumed and run through the pipeline.
    mutating func consumed(_ topic: String, count: Int) {
        guard count > 0 else { return }
        turn.consumed[topic, default: 0] += count
        totals.consumed.add(count, ordering: .relaxed)
    }

    /// A canonical output was acknowledged by the brokers.
    @inline(__always)
    mutating func outputAcknowledged(_ topic: String) {
        totals.produced.add(1, ordering: .relaxed)
        if producedRun.count > 0, producedRun.topic != topic { foldProducedRun() }
        if producedRun.count == 0 { producedRun.topic = topic }
        producedRun.count += 1
    }

    /// A timed emitter's output (a conversation, a call) was acknowledged.
    mutating func timedOutputAcknowledged(_ topic: String) {
        totals.produced.add(1, ordering: .relaxed)
        turn.produced[topic, default: 0] += 1
    }

    /// A hub alert was acknowledged: it counts on its topic, not among the connector's outputs.
    mutating func alertAcknowledged(_ topic: String) {
        turn.produced[topic, default: 0] += 1
    }

    /// An input's DLQ record was acknowledged; `notice` is the ledger's entry (nil when the record
    /// carried no rejection).
    mutating func deadLettered(_ notice: DeadLetterNotice?) {
        totals.deadLettered.add(1, ordering: .relaxed)
        guard let notice else { return }
        turn.rejected[.init(stage: notice.rejection.stage, code: notice.rejection.code), default: 0] += 1
        turn.deadLetters.append(notice)
    }

    /// A delivery attempt failed for a transient reason and is sent again.
    mutating func retried() {
        totals.retries.add(1, ordering: .relaxed)
        turn.retries += 1
    }

    /// The group coordinator refused (or could not be sent) an offset commit; the next one covers it.
    mutating func commitFailed() {
        totals.commitFailures.add(1, ordering: .relaxed)
        turn.commitFailures += 1
    }

    /// The coordinator confirmed offsets covering `records` more input records.
    mutating func committed(_ records: Int) {
        totals.committed.add(records, ordering: .relaxed)
        turn.committed += records
    }

    /// The broker deleted `count` records of `topic` before they were read (`input_expired`).
    mutating func expired(_ topic: String, count: Int) {
        totals.expired.add(count, ordering: .relaxed)
        turn.expired[topic, default: 0] += count
    }

    // MARK: Totals only (readers need them live; observers do not)
    // `mutating` although they only touch atomics: called per record on the loop's stored
    // account, a non-mutating call would copy the whole struct (retaining every field) each time.

    /// `records` inputs have every output acknowledged.
    mutating func handled(_ records: Int) { totals.handled.add(records, ordering: .relaxed) }

    /// A poll returned a record of a partition no longer assigned; it was dropped uncommitted.
    mutating func revokedRecordDropped() { totals.revokedDropped.add(1, ordering: .relaxed) }

    /// Outputs awaiting acknowledgement went up (positive) or down (negative) by `change`.
    mutating func inFlight(_ change: Int) {
        if change >= 0 { totals.inFlight.add(change, ordering: .relaxed) } else { totals.inFlight.subtract(-change, ordering: .relaxed) }
    }

    /// The lag just sampled: records summed over assigned partitions, and the largest lag age.
    mutating func lag(_ partitions: [PartitionLag], records: Int, maxMillis: Int) {
        turn.lag.append(contentsOf: partitions)
        totals.lagRecords.store(records, ordering: .relaxed)
        totals.lagMillis.store(maxMillis, ordering: .relaxed)
    }

    // MARK: This turn only (observers' business: metrics, ledger, alerts)

    mutating func throttled(_ key: String?) { turn.throttled[key ?? "*", default: 0] += 1 }
    mutating func dropped(_ kind: String) { turn.dropped[kind, default: 0] += 1 }
    mutating func producerRestarted() { turn.producerRestarts += 1 }
    mutating func poisonPill(_ topic: String) { turn.poisonPills[topic, default: 0] += 1 }
    mutating func compiledMismatch() { turn.compiledMismatches += 1 }
    mutating func breaker(_ change: BreakerTransition) { turn.breakerTransitions.append(change) }
    mutating func observed(_ observation: LatencyObservation) { turn.observations.append(observation) }
    mutating func delayed(_ record: DelayedRecord) { turn.delayed.append(record) }
    mutating func clockSkewed() { turn.skewed += 1 }
    mutating func unknownSource(_ reason: String) { turn.unknownSource[reason, default: 0] += 1 }

    /// A record's canonical fields, checked for emptiness (`syncline_field_empty_ratio`).
    mutating func countFields(_ marks: FieldMarks) { fields.count(marks, into: &turn) }

    // MARK: Turn boundary

    private mutating func foldProducedRun() {
        guard producedRun.count > 0 else { return }
        turn.produced[producedRun.topic, default: 0] += producedRun.count
        producedRun.count = 0
    }

    /// Hands the turn to `observer` (nothing when nothing happened), adds its field completeness to
    /// the totals, and starts a new turn.
    mutating func publish(to observer: any ConnectorObserver, nowMs: Int64) {
        foldProducedRun()
        fields.fold(into: &turn)
        guard !turn.isEmpty else { return }
        if !turn.fieldSeen.isEmpty {
            let seen = turn.fieldSeen, empty = turn.fieldEmpty
            totals.fields.withLock { table in
                for (field, count) in seen {
                    let current = table[field] ?? (0, 0)
                    table[field] = (current.seen + count, current.empty + (empty[field] ?? 0))
                }
            }
        }
        observer.record(turn)
        turn = ConnectorActivity(connector: turn.connector, atMs: nowMs)
    }
}
