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
    /// Process, loop-thread and mapping-thread CPU seconds when the first record arrived.
    var firstRecordCPU: (process: Double, loop: Double, mapping: Double) = (0, 0, 0)
    /// First record → last acknowledgement and confirmed commit (wall and CPU seconds: the
    /// process's, the loop thread's, the mapping thread's), for `--exit-after`.
    var window: (seconds: Double, cpu: Double, loop: Double, mapping: Double?)?
    /// Everything the loop counts, recorded once (the turn's activity and the live totals).
    var account: ConnectorAccount
    var lastLagSample = ContinuousClock.now
    /// Runs the pipeline on the loop's own thread (connectors with timed emitters or partition
    /// state, whose stores the loop also reads), else nil.
    var mapper: RecordMapper?
    /// Runs the pipeline on a thread of its own while the loop produces the previous batch.
    var worker: PipelineWorker?
    /// A batch the worker mapped that the loop has taken but not yet settled.
    var pendingMapped: PipelineWorker.Mapped?

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
        if usesPipelineWorker {
            let (pipeline, spec, directory, logger) = (pipeline, spec, options.crashMarkDirectory, logger)
            worker = PipelineWorker(
                name: "syncline-map-\(spec.name)",
                makeMapper: { RecordMapper(pipeline: pipeline, spec: spec, crashMarkDirectory: directory, logger: logger) },
                wake: { [wakeup] in wakeup?.signal() })
        } else {
            mapper = RecordMapper(pipeline: pipeline, spec: spec, crashMarkDirectory: options.crashMarkDirectory, logger: logger)
        }
        defer {
            worker?.stop()
            worker = nil
            pendingMapped = nil
            mapper = nil
        }
        logger.info("connector started", metadata: ["topics": "\(spec.inputTopics.joined(separator: ","))", "group": "\(options.groupID)"])

        while handle.mode == .running {
            let now = RuntimeClock.nanos()
            if let change = gate.breaker.tick(nowNanos: now) { noteBreaker(change) }
            gate.releaseExpired(nowNanos: now)
            applyPauses(consumer, nowNanos: now)
            if !parked.isEmpty {
                // Batches mapped meanwhile are settled first: their records of a parked partition
                // queue behind the parked ones (`settle`), which then go first.
                finishMapping()
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
            var mappedSettled = false
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
                if let worker {
                    // The previous batch comes back; the next is polled and handed over; then the
                    // previous one is produced while the worker maps the next.
                    if pendingMapped == nil { pendingMapped = worker.takeIfDone() }
                    if !worker.busy {
                        records = poll(consumer, maxRecords: maxRecords)
                        let admitted = admissible(records)
                        if !admitted.isEmpty {
                            worker.submit(admitted, consumeMs: EpochClock.nowMs())
                        } else if !records.isEmpty {
                            afterSettling()
                        }
                    }
                    if pendingMapped != nil {
                        mappedSettled = true
                        settlePending()
                    }
                } else {
                    records = poll(consumer, maxRecords: maxRecords)
                    if !records.isEmpty { process(records) }
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
                        window = (
                            RuntimeClock.seconds(since: firstRecordAt), RuntimeClock.cpuSeconds() - firstRecordCPU.process,
                            RuntimeClock.threadCPUSeconds() - firstRecordCPU.loop,
                            worker.map { $0.cpuSeconds - firstRecordCPU.mapping })
                    }
                    break
                }
            }
            // Sleep only when the queues were left empty: librdkafka writes to the wake-up pipe when
            // records, reports or commit results arrive on an empty queue, so nothing waits for a timeout.
            // While held (rate limit, breaker) or with parked records, a full one-record poll is no
            // reason to spin: those records wait for a token or a probe, so the loop sleeps its short wait.
            let busy = (!holding && parked.isEmpty && records.count >= maxRecords) || delivered > 0 || mappedSettled
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
            finishMapping()
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
            windowSeconds: window?.seconds, windowCPUSeconds: window?.cpu, loopCPUSeconds: window?.loop,
            mappingCPUSeconds: window?.mapping, fetchWakeups: consumer.fetchWakeups)
        handle.finalSummary.withLock { $0 = summary }
        return summary
    }

    /// Polls up to `maxRecords` without waiting, and notes when the first record arrived.
    func poll(_ consumer: KafkaConsumer, maxRecords: Int) -> [InputRecord] {
        let records = consumer.poll(maxRecords: max(1, maxRecords), timeoutMs: 0) { error in
            logger.warning("consumer error \(error.name): \(error.message)")
        }
        if !records.isEmpty && firstRecordAt == nil {
            firstRecordAt = .now
            firstRecordCPU = (RuntimeClock.cpuSeconds(), RuntimeClock.threadCPUSeconds(), worker?.cpuSeconds ?? 0)
        }
        return records
    }

    /// The pipeline gets its own thread unless the loop itself also reads the stores the pipeline
    /// writes (timed emitters read conversation and call state, a restorer loads partition state)
    /// or the connector is rate-limited (tokens are taken as records are admitted after mapping: a
    /// batch mapped ahead would overshoot the allowance and park).
    var usesPipelineWorker: Bool {
        options.pipelineThread && options.emitters.isEmpty && options.restorer == nil && spec.resilience.rateLimit == nil
            && wakeup != nil
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
