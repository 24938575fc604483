import Foundation
import Logging
import SynclineMapping
import SynclineKafka

extension ConnectorLoop {
    /// Pauses every partition while something holds the whole connector (operator, back-pressure,
    /// breaker, connector rate limit), and otherwise just the partitions whose rate-limit key is out
    /// of tokens — so records wait in Kafka, not in memory.
    func applyPauses(_ consumer: KafkaConsumer, nowNanos: UInt64) {
        let outstanding = delivery.outstanding
        let overBytes = delivery.inFlight.bytes > spec.tuning.maxInFlightBytes
        let hold = gate.hold(
            operatorPaused: handle.operatorPaused.load(ordering: .acquiring), outstanding: overBytes ? Int.max : outstanding,
            maxInFlight: spec.tuning.maxInFlight, nowNanos: nowNanos)
        if hold != currentHold {
            if let hold {
                logger.info("pausing consumption: \(hold.rawValue)", metadata: ["outstanding": "\(outstanding)", "bytes": "\(delivery.inFlight.bytes)"])
            } else if let previous = currentHold {
                logger.info("resuming consumption (was: \(previous.rawValue))")
            }
            currentHold = hold
        }
        let blocked = gate.blockedPartitions
        let pauseAll = hold != nil && hold != .backPressure
        guard pauseAll || !blocked.isEmpty || !pausedSet.isEmpty else {
            handle.partitionsPaused.store(false, ordering: .releasing)
            return
        }
        let all = Set(assigned.map { PartitionKey(topic: $0.topic, partition: $0.partition) })
        let desired = pauseAll ? all : Set(blocked.keys).intersection(all)
        let toPause = desired.subtracting(pausedSet)
        let toResume = pausedSet.subtracting(desired)
        do {
            if !toPause.isEmpty { try consumer.pause(toPause.map { TopicPartition(topic: $0.topic, partition: $0.partition) }) }
            if !toResume.isEmpty { try consumer.resume(toResume.map { TopicPartition(topic: $0.topic, partition: $0.partition) }) }
            pausedSet = desired
        } catch {
            logger.warning("cannot change paused partitions: \(error)")
        }
        handle.partitionsPaused.store(!all.isEmpty && pausedSet.count == all.count, ordering: .releasing)
    }

    /// Logs, counts and exports a breaker state change.
    func noteBreaker(_ change: BreakerTransition) {
        handle.breakerStateValue.store(Int(change.to.gaugeValue), ordering: .relaxed)
        account.breaker(change)
        if change.to == .open {
            logger.warning("circuit breaker \(change)", metadata: ["sink": "kafka"])
        } else {
            logger.info("circuit breaker \(change)", metadata: ["sink": "kafka"])
        }
    }

    /// Samples consumer lag per assigned partition, at most once a second.
    func sampleLag(_ consumer: KafkaConsumer) {
        guard ContinuousClock.now - lastLagSample >= .seconds(1) else { return }
        lastLagSample = .now
        let now = EpochClock.nowMs()
        var total = 0
        var maxMillis = 0
        var lags: [PartitionLag] = []
        for slot in partitions.assignedSlots {
            let state = partitions[slot]
            guard let high = consumer.cachedHighWatermark(topic: state.key.topic, partition: state.key.partition) else { continue }
            let last = state.lastConsumed
            let position = last.map { $0.offset + 1 } ?? state.progress.lastCommitted ?? high
            let records = max(0, high - position)
            let millis = records > 0 ? max(0, now - (last?.timestampMs ?? now)) : 0
            total += Int(records)
            maxMillis = max(maxMillis, Int(millis))
            lags.append(PartitionLag(
                topic: state.key.topic, partition: state.key.partition, records: records, seconds: Double(millis) / 1000))
        }
        account.lag(lags, records: total, maxMillis: maxMillis)
    }

    /// Sends the committable offsets when the interval passed or enough records were handled;
    /// `force` sends now and waits (bounded) for the coordinator's answer.
    func commitIfDue(force: Bool) {
        guard let consumer else { return }
        let due = force || handledSinceCommit >= spec.tuning.commitEveryRecords
            || ContinuousClock.now - lastCommit >= .milliseconds(spec.tuning.commitIntervalMs)
        guard due else { return }
        lastCommit = ContinuousClock.now
        var offsets: [TopicPartition] = []
        var slots: [Int] = []
        for slot in partitions.assignedSlots {
            guard let offset = partitions[slot].progress.offsetToCommit else { continue }
            offsets.append(TopicPartition(topic: partitions[slot].key.topic, partition: partitions[slot].key.partition, offset: offset))
            slots.append(slot)
        }
        if !offsets.isEmpty {
            do {
                try consumer.commitAsync(offsets)
                for (slot, offset) in zip(slots, offsets) { partitions[slot].progress.commitSent(offset.offset ?? 0) }
                handledSinceCommit = 0
            } catch {
                account.commitFailed()
                logger.warning("commit could not be sent (the next commit covers these offsets): \(error)")
            }
        }
        guard force else { return }
        // Wait for the answers: only confirmed offsets count, and a stop or revoke must know.
        let deadline = ContinuousClock.now + .seconds(10)
        while partitions.assignedSlots.contains(where: { partitions[$0].progress.commitsPending }) && ContinuousClock.now < deadline
            && handle.mode != .crash {
            serveCommitResults(consumer, timeoutMs: 100)
            serveDeliveries(timeoutMs: 0)
        }
    }

    /// Applies the coordinator's answers: confirmed offsets count as committed, refused ones are
    /// counted and sent again by the next commit. Answers for partitions no longer assigned are ignored.
    func serveCommitResults(_ consumer: KafkaConsumer, timeoutMs: Int32 = 0) {
        for outcome in consumer.commitResults(timeoutMs: timeoutMs) {
            guard let offset = outcome.partition.offset,
                  let slot = partitions.slot(topic: outcome.partition.topic, partition: outcome.partition.partition) else { continue }
            if let error = outcome.error {
                partitions[slot].progress.commitFailed(offset)
                account.commitFailed()
                logger.warning("the group coordinator refused a commit; it will be sent again", metadata: [
                    "partition": "\(outcome.partition)", "error": "\(error.name)",
                ])
            } else {
                let newly = partitions[slot].progress.commitConfirmed(offset)
                account.committed(newly)
            }
        }
    }

    func handleRebalance(_ event: RebalanceEvent) -> AssignmentDecision {
        // Whatever was mapped is settled under the assignment it was read in.
        if handle.mode != .crash { finishMapping() }
        switch event {
        case .assigned(let assignment):
            handle.assignedCount.store(assignment.count, ordering: .relaxed)
            assigned = assignment
            // The group's committed offsets tell where reading resumes, so input the broker deleted
            // in between is noticed (input_expired) rather than silently skipped.
            let committed = (try? consumer?.committed(assignment)) ?? []
            for partition in assignment {
                let key = PartitionKey(topic: partition.topic, partition: partition.partition)
                let offset = committed.first { $0.topic == partition.topic && $0.partition == partition.partition }?.offset
                partitions.assign(key, committed: offset)
            }
            // Before any record of these partitions is processed: their state, from the changelog.
            restoreState(of: assignment)
            // New partitions start paused when the connector is held, so not one record slips through.
            let hold = gate.hold(
                operatorPaused: handle.operatorPaused.load(ordering: .acquiring), outstanding: delivery.outstanding,
                maxInFlight: spec.tuning.maxInFlight, nowNanos: RuntimeClock.nanos())
            let paused = hold != nil && hold != .backPressure
            pausedSet = paused ? Set(assignment.map { PartitionKey(topic: $0.topic, partition: $0.partition) }) : []
            logger.info("partitions assigned", metadata: [
                "partitions": "\(assignment.map(\.description).joined(separator: ","))", "paused": "\(paused)",
            ])
            handle.partitionsPaused.store(paused, ordering: .releasing)
            return paused ? .assignPaused : .consume
        case .revoked(let revokedPartitions):
            logger.info("partitions revoked; draining and committing", metadata: ["partitions": "\(revokedPartitions.count)"])
            if handle.mode != .crash {
                // On the way out the loop has drained already; a second wait would double the stop time.
                if !finalDrainDone { drain(timeout: options.drainTimeout) }
                commitIfDue(force: true)
            }
            if handle.mode != .crash { options.restorer?.release(partitions: revokedPartitions) }
            let revoked = Set(revokedPartitions.map { PartitionKey(topic: $0.topic, partition: $0.partition) })
            // Parked records of revoked partitions are uncommitted: the next owner gets them again.
            parked.removeAll { revoked.contains(PartitionKey(topic: $0.topic, partition: $0.partition)) }
            for key in revoked {
                partitions.revoke(key)
                gate.forget(key)
            }
            handle.assignedCount.store(0, ordering: .relaxed)
            assigned = []
            pausedSet = []
            handle.partitionsPaused.store(false, ordering: .releasing)
            return .consume
        }
    }

    /// Restores the assigned partitions' state through the restorer, retrying while the changelog
    /// cannot be read (nothing is processed meanwhile).
    func restoreState(of assignment: [TopicPartition]) {
        guard let restorer = options.restorer, !assignment.isEmpty else { return }
        handle.restoreProgress.withLock {
            $0.pending = assignment.count
            $0.restored = 0
        }
        var attempt = 0
        while handle.mode == .running {
            do {
                let done = try restorer.restore(partitions: assignment)
                handle.restoreProgress.withLock { progress in
                    progress.pending = 0
                    progress.restored = assignment.count
                    progress.lastError = nil
                    for restore in done {
                        progress.latest.removeAll { $0.partition == restore.partition }
                        progress.latest.append(restore)
                    }
                }
                var records = 0
                var keys = 0
                var seconds = 0.0
                for restore in done {
                    records += restore.records
                    keys += restore.keys
                    seconds += restore.seconds
                }
                logger.info("state restored", metadata: [
                    "partitions": "\(done.count)", "records": "\(records)", "keys": "\(keys)", "seconds": "\(seconds)",
                ])
                return
            } catch {
                attempt += 1
                handle.restoreProgress.withLock { $0.lastError = "\(error)" }
                logger.error("cannot restore the state of \(assignment.count) partitions (attempt \(attempt)); retrying: \(error)")
                Thread.sleep(forTimeInterval: min(5, 0.2 * Double(attempt)))
            }
        }
    }
}
