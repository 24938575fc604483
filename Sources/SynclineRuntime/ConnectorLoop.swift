import Foundation
import Logging
import SynclineMapping
import SynclineKafka

/// One run of a connector, on its own thread: poll → pipeline → produce → acknowledge → commit,
/// in batches, with accounting on the side. All of its state is confined to that thread; other
/// threads talk to it only through the `ConnectorRuntime` handle's atomics and the wake-up.
/// The steps live in extensions by concern: records (`+Records`), delivery (`+Delivery`),
/// partitions and commits (`+Partitions`). `@unchecked Sendable` only because the consumer's
/// rebalance callback is typed `@Sendable`: librdkafka calls it from inside `poll`/`close`, on
/// this loop's own thread.
final class ConnectorLoop: @unchecked Sendable {
    let handle: ConnectorRuntime
    let spec: ConnectorSpec
    let pipeline: RecordPipeline
    let options: ConnectorRuntime.Options
    let logger: Logger
    let wakeup: KafkaWakeup?
    var stamper: LineageStamper
    let tracker: LatencyTracker

    var producer: KafkaProducer?
    var consumer: KafkaConsumer?
    var partitions = PartitionTable()
    var delivery = DeliveryTracker()
    var gate: FlowGate
    /// Records taken from the consumer that must wait for a rate-limit token (bounded: their
    /// partitions are paused as soon as one is parked).
    var parked: [InputRecord] = []
    var assigned: [TopicPartition] = []
    var pausedSet: Set<PartitionKey> = []
    var currentHold: FlowGate.Hold?
    var lastEmitterTick = ContinuousClock.now
    /// In a stretch of waiting for the connector's rate-limit tokens (throttling is counted once per stretch).
    var waitingForTokens = false
    /// Set once the graceful stop has waited for in-flight outputs.
    var finalDrainDone = false
    /// Ids of timed outputs in flight, per emitter index.
    var timedInFlight: [Set<String>] = []
    var lastCommit = ContinuousClock.now
    /// Records fully handled since the last commit was sent (commits go by time or by count).
    var handledSinceCommit = 0
    var firstRecordAt: ContinuousClock.Instant?
    var firstRecordCPU: Double = 0
    /// First record → last acknowledgement and confirmed commit (wall and CPU seconds), for `--exit-after`.
    var window: (seconds: Double, cpu: Double)?
    /// Everything the loop counts, recorded once (the turn's activity and the live totals).
    var account: ConnectorAccount
    var lastLagSample = ContinuousClock.now
    /// Marks each record in the pipeline so a crash on it is noticed; opened on the runtime thread.
    var poisonGuard: PoisonPillGuard?

    init(handle: ConnectorRuntime) {
        self.handle = handle
        spec = handle.spec
        pipeline = handle.pipeline
        options = handle.options
        logger = handle.logger
        wakeup = handle.wakeup
        stamper = LineageStamper(connector: spec.name, mappingVersion: spec.mappingVersion, sloSeconds: spec.sloSeconds)
        tracker = LatencyTracker(sloMs: Int64(spec.sloSeconds * 1000), skewToleranceMs: options.skewToleranceMs)
        account = ConnectorAccount(connector: spec.name, totals: handle.stats, nowMs: EpochClock.nowMs())
        gate = FlowGate(spec: spec.resilience, nowNanos: RuntimeClock.nanos())
    }

    func run() throws -> RunSummary {
        let started = ContinuousClock.now
        handle.running.store(true, ordering: .releasing)
        defer { handle.running.store(false, ordering: .releasing) }
        let producerConfig = options.kafka.with(["message.timeout.ms": String(spec.resilience.deliveryTimeoutMs)])
        let producer = try KafkaProducer(config: producerConfig, logger: logger)
        self.producer = producer
        let consumer: KafkaConsumer
        do {
            consumer = try KafkaConsumer(config: options.kafka, groupID: options.groupID, logger: logger) { [unowned self] event in
                handleRebalance(event)
            }
            try consumer.subscribe(spec.inputTopics)
        } catch {
            producer.close(flushTimeoutMs: 0)
            throw error
        }
        self.consumer = consumer
        if let wakeup {
            producer.enableWakeup(wakeup)
            consumer.enableWakeup(wakeup)
        }
        if let directory = options.crashMarkDirectory {
            do {
                poisonGuard = try PoisonPillGuard(directory: directory, connector: spec.name, topics: spec.inputTopics, logger: logger, nowMs: EpochClock.nowMs())
            } catch {
                logger.error("poison-pill guard unavailable (a record that crashes the hub would crash it again on every restart): \(error)")
            }
        }
        defer { poisonGuard = nil }
        logger.info("connector started", metadata: ["topics": "\(spec.inputTopics.joined(separator: ","))", "group": "\(options.groupID)"])

        while handle.mode == .running {
            let now = RuntimeClock.nanos()
            if let change = gate.breaker.tick(nowNanos: now) { noteBreaker(change) }
            gate.releaseExpired(nowNanos: now)
            applyPauses(consumer, nowNanos: now)
            if !parked.isEmpty {
                let waiting = parked
                parked = []
                process(waiting)
            }
            // Back-pressure takes no records until acknowledgements make room (the wake-up comes with
            // the delivery reports); anything that holds longer pauses the partitions instead.
            let overloaded = currentHold == .backPressure
            let holding = currentHold != nil && !overloaded
            var maxRecords = holding ? 1 : min(spec.tuning.batchSize, gate.breaker.remainingPermits ?? Int.max)
            var records: [InputRecord] = []
            var tokenWaitMs: Int32?
            if overloaded {
                maxRecords = Int.max
            } else if let allowance = holding ? nil : gate.connectorAllowance(nowNanos: now),
                      allowance.records == 0, allowance.waitNanos < 500_000_000 {
                // Out of tokens for a moment: take nothing, serve what arrives, wait for the refill.
                if !waitingForTokens { account.throttled(nil) }
                waitingForTokens = true
                tokenWaitMs = Int32(max(1, allowance.waitNanos / 1_000_000))
            } else {
                if let allowance = holding ? nil : gate.connectorAllowance(nowNanos: now) {
                    maxRecords = min(maxRecords, max(1, allowance.records))
                    waitingForTokens = false
                }
                records = consumer.poll(maxRecords: max(1, maxRecords), timeoutMs: 0) { error in
                    logger.warning("consumer error \(error.name): \(error.message)")
                }
                if !records.isEmpty {
                    if firstRecordAt == nil {
                        firstRecordAt = .now
                        firstRecordCPU = RuntimeClock.cpuSeconds()
                    }
                    process(records)
                }
            }
            let delivered = serveDeliveries(timeoutMs: 0)
            recreateProducerIfFailed(config: producerConfig)
            serveCommitResults(consumer)
            produceDueRetries()
            tickEmitters()
            commitIfDue(force: false)
            sampleLag(consumer)
            publishActivity()
            if let exitAfter = options.exitAfter, account.totals.handled.load(ordering: .relaxed) >= exitAfter {
                commitIfDue(force: true)
                if account.totals.committed.load(ordering: .relaxed) >= exitAfter {
                    if let firstRecordAt {
                        window = (RuntimeClock.seconds(since: firstRecordAt), RuntimeClock.cpuSeconds() - firstRecordCPU)
                    }
                    break
                }
            }
            // Sleep only when the queues were left empty: librdkafka writes to the wake-up pipe when
            // records, reports or commit results arrive on an empty queue, so nothing waits for a timeout.
            // While held (rate limit, breaker) or with parked records, a full one-record poll is no
            // reason to spin: those records wait for a token or a probe, so the loop sleeps its short wait.
            let busy = (!holding && parked.isEmpty && records.count >= maxRecords) || delivered > 0
            if !busy {
                let waitMs = tokenWaitMs ?? idleWaitMs(holding: holding)
                if let wakeup {
                    wakeup.wait(timeoutMs: waitMs)
                } else {
                    // No wake-up pipe (descriptors exhausted at start): sleep the short wait instead of spinning.
                    Thread.sleep(forTimeInterval: Double(min(waitMs, 5)) / 1_000)
                }
            }
        }

        if handle.mode == .crash {
            logger.warning("connector stopped abruptly (no drain, no commit)")
            consumer.abandon()
            self.producer?.abandon()
            delivery.abandonInFlight()
        } else {
            drain(timeout: options.drainTimeout)
            finalDrainDone = true
            commitIfDue(force: true)
            consumer.close()
            self.producer?.close(flushTimeoutMs: 5_000)
            publishActivity()
            logger.info("connector stopped", metadata: ["committed": "\(account.totals.committed.load(ordering: .relaxed))"])
        }
        self.consumer = nil
        self.producer = nil
        let snapshot = account.totals.snapshot
        let summary = RunSummary(
            connector: spec.name, recordsIn: snapshot.consumed, recordsOut: snapshot.produced, dlq: snapshot.deadLettered,
            retries: snapshot.retries, committed: snapshot.committed,
            seconds: RuntimeClock.seconds(since: started),
            activeSeconds: firstRecordAt.map { RuntimeClock.seconds(since: $0) } ?? 0,
            windowSeconds: window?.seconds, windowCPUSeconds: window?.cpu, fetchWakeups: consumer.fetchWakeups)
        handle.finalSummary.withLock { $0 = summary }
        return summary
    }

    /// How long the loop may sleep with nothing to do: until the next timer (commit, retry, rate
    /// limit, breaker, emitters) — short while something is held or waiting, else up to 50 ms.
    func idleWaitMs(holding: Bool) -> Int32 {
        if holding || !parked.isEmpty || !delivery.retryQueue.isEmpty { return 5 }
        let sinceCommit = ContinuousClock.now - lastCommit
        let untilCommit = Duration.milliseconds(spec.tuning.commitIntervalMs) - sinceCommit
        return Int32(max(1, min(50, untilCommit / .milliseconds(1))))
    }

    /// Asks the timed emitters, about once a second, for what is due, and sends it.
    func tickEmitters() {
        guard !options.emitters.isEmpty, ContinuousClock.now - lastEmitterTick >= .seconds(1) else { return }
        lastEmitterTick = .now
        if timedInFlight.count != options.emitters.count { timedInFlight = Array(repeating: [], count: options.emitters.count) }
        let nowMs = EpochClock.nowMs()
        for (index, emitter) in options.emitters.enumerated() {
            for output in emitter.due(nowMs: nowMs) where !timedInFlight[index].contains(output.id) {
                timedInFlight[index].insert(output.id)
                let input = InputRecord(topic: "", partition: -1, offset: -1, key: nil, value: nil)
                send(InFlightOutput(
                    slot: -1, generation: index, seq: -1, input: input,
                    output: output.record, kind: .timed(id: output.id), primary: false, attempts: 1,
                    timing: RecordTiming(sourceMs: nil, sourceProblem: nil, consumeMs: nowMs, eventID: output.id)))
            }
        }
    }

    /// Hands the turn's activity to the observer (metrics, ledger) and starts a new one.
    func publishActivity() {
        account.publish(to: options.observer, nowMs: EpochClock.nowMs())
    }
}
