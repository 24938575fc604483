public import Logging
public import SynclineCore
public import SynclineKafka
public import Foundation
import Synchronization

/// Runs one connector: consumes its input topics in a consumer group, runs each record through the
/// pipeline, produces every output (or the DLQ record), and commits an input offset only once every
/// record at or below it on that partition is acknowledged. The hot loop runs on its own thread in
/// batches: poll many, produce without waiting, serve delivery reports, commit periodically.
public final class ConnectorRuntime: @unchecked Sendable {
    /// How the runtime connects and when it stops by itself.
    public struct Options: Sendable {
        public var kafka: KafkaConfig
        public var groupID: String
        /// Stop after this many input records are fully handled and committed.
        public var exitAfter: Int?
        /// How long a graceful stop waits for in-flight records before giving up (they stay uncommitted).
        public var drainTimeout: Duration
        /// Receives what the connector did, once per loop turn (metrics, ledger).
        public var observer: any ConnectorObserver
        /// How far ahead of the hub's clock a source time may be before it counts as clock skew.
        public var skewToleranceMs: Int64
        /// Code-level logic that emits records on its own schedule (conversations, alerts).
        public var emitters: [any TimedEmitter] = []
        /// Where the poison-pill guard keeps its crash marks (`<state>/runtime`); nil: no guard.
        public var crashMarkDirectory: URL?
        /// The connector's state cache that follows its partitions (restored on assignment).
        public var restorer: (any PartitionStateRestorer)?

        public init(
            kafka: KafkaConfig, groupID: String, exitAfter: Int? = nil, drainTimeout: Duration = .seconds(30),
            observer: any ConnectorObserver = IgnoringObserver(),
            skewToleranceMs: Int64 = 5_000
        ) {
            self.kafka = kafka
            self.groupID = groupID
            self.exitAfter = exitAfter
            self.drainTimeout = drainTimeout
            self.observer = observer
            self.skewToleranceMs = skewToleranceMs
        }
    }

    private enum StopMode: Int { case running = 0, graceful = 1, crash = 2 }

    public let spec: ConnectorSpec
    public let stats = ConnectorStats()
    private let pipeline: RecordPipeline
    private let options: Options
    private let logger: Logger
    private var stamper: LineageStamper
    private let stopMode = Atomic<Int>(StopMode.running.rawValue)
    private let assignedCount = Atomic<Int>(0)
    private let finalSummary = Mutex<RunSummary?>(nil)
    private let operatorPaused = Atomic<Bool>(false)
    private let running = Atomic<Bool>(false)
    private let partitionsPaused = Atomic<Bool>(false)
    private let breakerStateValue = Atomic<Int>(0)
    private let restoreProgress = Mutex<StateRestoreProgress>(StateRestoreProgress())

    // State below is confined to the runtime thread.
    private var producer: KafkaProducer?
    private var consumer: KafkaConsumer?
    /// Wakes the loop when records, delivery reports or commit results arrive (or on stop/pause).
    private let wakeup: KafkaWakeup?
    private var partitions = PartitionTable()
    private var inFlight = InFlightTable()
    /// Delivery reports taken while waiting for room in the producer queue, handled by the loop
    /// (never recursively from inside a send).
    private var deferredReports: [DeliveryReport] = []
    private var retryQueue: [InFlightOutput] = []
    private var gate: FlowGate
    /// Records taken from the consumer that must wait for a rate-limit token (bounded: their
    /// partitions are paused as soon as one is parked).
    private var parked: [InputRecord] = []
    private var assigned: [TopicPartition] = []
    private var pausedSet: Set<PartitionKey> = []
    private var currentHold: FlowGate.Hold?
    private var lastEmitterTick = ContinuousClock.now
    /// In a stretch of waiting for the connector's rate-limit tokens (throttling is counted once per stretch).
    private var waitingForTokens = false
    /// Set once the graceful stop has waited for in-flight outputs.
    private var finalDrainDone = false
    /// Ids of timed outputs in flight, per emitter index.
    private var timedInFlight: [Set<String>] = []
    private var lastCommit = ContinuousClock.now
    /// Records fully handled since the last commit was sent (commits go by time or by count).
    private var handledSinceCommit = 0
    private var firstRecordAt: ContinuousClock.Instant?
    private var firstRecordCPU: Double = 0
    /// First record → last acknowledgement and confirmed commit (wall and CPU seconds), for `--exit-after`.
    private var window: (seconds: Double, cpu: Double)?
    private var activity: ConnectorActivity
    /// Field completeness counted by label index per record, folded into `activity` once per turn.
    private var fieldCounter = FieldCompletenessCounter()
    private var producedRun: (topic: String, count: Int) = ("", 0)
    private var lastLagSample = ContinuousClock.now
    private let tracker: LatencyTracker
    /// Marks each record in the pipeline so a crash on it is noticed; opened on the runtime thread.
    private var poisonGuard: PoisonPillGuard?
    /// Set by `raiseProducerFatalErrorForTesting`; the loop makes its producer fail fatally.
    private let fatalErrorRequested = Atomic<Bool>(false)

    public init(spec: ConnectorSpec, pipeline: RecordPipeline, options: Options, logger: Logger) {
        self.spec = spec
        self.pipeline = pipeline
        self.options = options
        var logger = logger
        logger[metadataKey: "connector"] = "\(spec.name)"
        self.logger = logger
        self.stamper = LineageStamper(connector: spec.name, mappingVersion: spec.mappingVersion, sloSeconds: spec.sloSeconds)
        self.tracker = LatencyTracker(sloMs: Int64(spec.sloSeconds * 1000), skewToleranceMs: options.skewToleranceMs)
        self.activity = ConnectorActivity(connector: spec.name, atMs: Self.nowMs())
        self.gate = FlowGate(spec: spec.resilience, nowNanos: Self.nanos())
        self.wakeup = try? KafkaWakeup()
        restoreProgress.withLock { $0.stateful = options.restorer != nil }
    }

    /// Where the poison-pill guard keeps its crash marks inside a state directory.
    public static func crashMarkDirectory(inStateDirectory state: URL) -> URL { PoisonPillGuard.directory(inStateDirectory: state) }
    /// Where restoring the state of assigned partitions stands.
    public var stateRestore: StateRestoreProgress { restoreProgress.withLock { $0 } }

    /// The sink's circuit breaker state right now.
    public var breakerState: BreakerState {
        switch breakerStateValue.load(ordering: .relaxed) {
        case 1: return .halfOpen
        case 2: return .open
        default: return .closed
        }
    }

    /// The summary of the last finished run, if any.
    public var summary: RunSummary? { finalSummary.withLock { $0 } }

    /// Partitions currently assigned to this instance.
    public var assignedPartitions: Int { assignedCount.load(ordering: .relaxed) }

    /// Pauses consumption (records wait in Kafka) until `resume()`; in-flight records still complete.
    public func pause() {
        operatorPaused.store(true, ordering: .releasing)
        wakeup?.signal()
    }
    public func resume() {
        operatorPaused.store(false, ordering: .releasing)
        wakeup?.signal()
    }
    public var isPausedByOperator: Bool { operatorPaused.load(ordering: .acquiring) }
    /// True while the consumer's partitions are actually paused (operator, back-pressure).
    public var isConsumptionPaused: Bool { partitionsPaused.load(ordering: .acquiring) }

    /// Pauses and waits until the runtime thread has paused its partitions (or `timeout` passes);
    /// records fetched before that moment still complete.
    public func pauseAndWait(timeout: Duration = .seconds(5)) async {
        pause()
        let deadline = ContinuousClock.now + timeout
        while isRunning && !isConsumptionPaused && ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(10))
        }
    }

    /// True between start-up and the end of the run.
    public var isRunning: Bool { running.load(ordering: .acquiring) }

    /// Graceful stop: take no new records, wait for in-flight ones, commit, leave the group.
    public func requestStop() {
        _ = stopMode.compareExchange(expected: StopMode.running.rawValue, desired: StopMode.graceful.rawValue, ordering: .acquiringAndReleasing)
        wakeup?.signal()
    }

    /// Abrupt stop, as a crash would: no draining, no commit, the group is not told.
    public func crash() {
        stopMode.store(StopMode.crash.rawValue, ordering: .releasing)
        wakeup?.signal()
    }

    /// Runs until stopped (or `exitAfter` is reached) on a dedicated thread; returns the summary.
    public func run() async throws -> RunSummary {
        try await withTaskCancellationHandler {
            try await BlockingThread.run(name: "syncline-\(spec.name)") { [self] in try runLoop() }
        } onCancel: {
            requestStop()
        }
    }

    // MARK: - The loop (runtime thread only)

    private func runLoop() throws -> RunSummary {
        let started = ContinuousClock.now
        running.store(true, ordering: .releasing)
        defer { running.store(false, ordering: .releasing) }
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
                poisonGuard = try PoisonPillGuard(directory: directory, connector: spec.name, topics: spec.inputTopics, logger: logger, nowMs: Self.nowMs())
            } catch {
                logger.error("poison-pill guard unavailable (a record that crashes the hub would crash it again on every restart): \(error)")
            }
        }
        defer { poisonGuard = nil }
        logger.info("connector started", metadata: ["topics": "\(spec.inputTopics.joined(separator: ","))", "group": "\(options.groupID)"])

        while mode == .running {
            let now = Self.nanos()
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
                if !waitingForTokens { activity.throttled["*", default: 0] += 1 }
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
                        firstRecordCPU = Self.cpuSeconds()
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
            if let exitAfter = options.exitAfter, stats.handled.load(ordering: .relaxed) >= exitAfter {
                commitIfDue(force: true)
                if stats.committed.load(ordering: .relaxed) >= exitAfter {
                    if let firstRecordAt {
                        window = (Self.seconds(since: firstRecordAt), Self.cpuSeconds() - firstRecordCPU)
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

        if mode == .crash {
            logger.warning("connector stopped abruptly (no drain, no commit)")
            consumer.abandon()
            self.producer?.abandon()
            inFlight.removeAll()
        } else {
            drain(timeout: options.drainTimeout)
            finalDrainDone = true
            commitIfDue(force: true)
            consumer.close()
            self.producer?.close(flushTimeoutMs: 5_000)
            publishActivity()
            logger.info("connector stopped", metadata: ["committed": "\(stats.committed.load(ordering: .relaxed))"])
        }
        self.consumer = nil
        self.producer = nil
        let snapshot = stats.snapshot
        let summary = RunSummary(
            connector: spec.name, recordsIn: snapshot.consumed, recordsOut: snapshot.produced, dlq: snapshot.deadLettered,
            retries: snapshot.retries, committed: snapshot.committed,
            seconds: Self.seconds(since: started),
            activeSeconds: firstRecordAt.map { Self.seconds(since: $0) } ?? 0,
            windowSeconds: window?.seconds, windowCPUSeconds: window?.cpu)
        finalSummary.withLock { $0 = summary }
        return summary
    }

    private var mode: StopMode { StopMode(rawValue: stopMode.load(ordering: .acquiring)) ?? .running }

    /// How long the loop may sleep with nothing to do: until the next timer (commit, retry, rate
    /// limit, breaker, emitters) — short while something is held or waiting, else up to 50 ms.
    private func idleWaitMs(holding: Bool) -> Int32 {
        if holding || !parked.isEmpty || !retryQueue.isEmpty { return 5 }
        let sinceCommit = ContinuousClock.now - lastCommit
        let untilCommit = Duration.milliseconds(spec.tuning.commitIntervalMs) - sinceCommit
        return Int32(max(1, min(50, untilCommit / .milliseconds(1))))
    }

    /// Runs records through the pipeline in order; a record whose partition (or the connector) is
    /// out of rate-limit tokens is parked, and so is every later record of that partition. Records
    /// of partitions no longer assigned (librdkafka 2.0.2 can still return them right after a
    /// revoke) are dropped uncommitted: their next owner reads them.
    private func process(_ records: [InputRecord]) {
        let consumeMs = Self.nowMs()
        let now = Self.nanos()
        var consumedTopic: (name: String, count: Int) = ("", 0)
        for record in records {
            guard let slot = partitions.slot(topic: record.topic, partition: record.partition) else {
                stats.revokedDropped.add(1, ordering: .relaxed)
                logger.debug("dropped a record of a partition not assigned", metadata: ["offset": "\(record.coordinates)"])
                continue
            }
            if gate.isBlocked(partitions[slot].key, nowNanos: now) {
                parked.append(record)
                continue
            }
            let result: Result<RecordContext, Rejection>
            if let pill = poisonGuard?.quarantine(record) {
                result = .failure(poisonPill(record, pill))
            } else {
                poisonGuard?.begin(record)
                #if DEBUG
                    trapIfTestHookAsks(record)
                #endif
                result = pipeline.run(record, stageMark: poisonGuard?.stageMark)
            }
            let document: JSONValue? = if case .success(let context) = result { context.document } else { nil }
            if case .park(let throttledKey) = gate.admit(record, document: document, nowNanos: now) {
                poisonGuard?.end()
                activity.throttled[throttledKey ?? "*", default: 0] += 1
                parked.append(record)
                continue
            }
            noteConsumed(record, slot: slot)
            if record.topic != consumedTopic.name {
                if consumedTopic.count > 0 { activity.consumed[consumedTopic.name, default: 0] += consumedTopic.count }
                consumedTopic = (record.topic, 0)
            }
            consumedTopic.count += 1
            emit(record, result, slot: slot, consumeMs: consumeMs)
            poisonGuard?.end()
        }
        if consumedTopic.count > 0 { activity.consumed[consumedTopic.name, default: 0] += consumedTopic.count }
        if !parked.isEmpty, let consumer { applyPauses(consumer, nowNanos: now) }
    }

    /// Position, lag bookkeeping and the check for input the broker deleted before we read it.
    private func noteConsumed(_ record: InputRecord, slot: Int) {
        partitions[slot].lastConsumed = (record.offset, record.timestampMs ?? Self.nowMs())
        // The log start costs a C call: asked only when the offset jumped.
        guard let gap = partitions[slot].gaps.consumed(offset: record.offset, logStart: {
            consumer?.cachedWatermarks(topic: record.topic, partition: record.partition).low
        }) else { return }
        let alert = InputExpiredAlert(
            connector: spec.name, topic: record.topic, partition: record.partition, firstOffset: gap.lowerBound,
            lastOffset: gap.upperBound, raisedAtMs: Self.nowMs())
        stats.expired.add(Int(alert.count), ordering: .relaxed)
        activity.expired[record.topic, default: 0] += Int(alert.count)
        logger.error("input expired: the broker deleted records before they were read", metadata: [
            "topic": "\(record.topic)", "partition": "\(record.partition)",
            "offsets": "\(gap.lowerBound)-\(gap.upperBound)", "records": "\(alert.count)",
        ])
        raiseAlert(alert.record, id: alert.alertID, atMs: alert.raisedAtMs)
    }

    /// Sends a hub alert to hub.alerts.v1. Not tied to an input offset: nothing waits for it, and a
    /// refusal for good is counted as dropped rather than retried forever.
    private func raiseAlert(_ record: OutputRecord, id: String, atMs: Int64) {
        let input = InputRecord(topic: "", partition: -1, offset: -1, key: nil, value: nil)
        send(InFlightOutput(
            slot: -1, generation: 0, seq: -1, input: input, output: record, kind: .alert, primary: false, attempts: 1,
            timing: RecordTiming(sourceMs: nil, sourceProblem: nil, consumeMs: atMs, eventID: id)))
    }

    /// A record the hub crashed on twice: its DLQ rejection, counted, logged and alerted.
    private func poisonPill(_ record: InputRecord, _ pill: PoisonPillLedger.Suspect) -> Rejection {
        let message = "the hub crashed \(pill.crashes) times on this record (signal \(pill.signal) in stage \(pill.stage.rawValue)); "
            + "it is sent to the DLQ untouched so the connector carries on — the crash is a hub bug to report"
        activity.poisonPills[record.topic, default: 0] += 1
        logger.critical("poison pill: sending a record the hub crashed on twice to the DLQ untouched", metadata: [
            "offset": "\(record.coordinates)", "stage": "\(pill.stage.rawValue)", "signal": "\(pill.signal)",
        ])
        let alert = RecordAlert(
            kind: .poisonPill, connector: spec.name, topic: record.topic, partition: record.partition, offset: record.offset,
            stage: pill.stage, message: "connector \(spec.name): " + message, raisedAtMs: Self.nowMs())
        raiseAlert(alert.record, id: alert.alertID, atMs: alert.raisedAtMs)
        return Rejection(stage: pill.stage, code: ErrorCode.poisonPill.rawValue, field: nil, message: message)
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

    /// Turns one processed record into in-flight outputs (or its DLQ record) and sends them.
    private func emit(_ record: InputRecord, _ result: Result<RecordContext, Rejection>, slot: Int, consumeMs: Int64) {
        stats.consumed.add(1, ordering: .relaxed)
        let generation = partitions[slot].generation
        var items: [InFlightOutput] = []
        if let mismatch = result.selfCheckMismatch {
            // The compiled path and the interpreter disagreed; the interpreter's verdict is the one used.
            activity.compiledMismatches += 1
            logger.error("compiled record path disagrees with the interpreter (the interpreter's result is used)", metadata: [
                "offset": "\(record.coordinates)", "difference": "\(mismatch)",
            ])
        }
        switch result {
        case .success(let context):
            fieldCounter.count(context.fieldMarks, into: &activity)
            let route = context.routes.count == 1 ? context.routes.first : context.routes.joined(separator: ",")
            let timing = RecordTiming(
                sourceMs: context.sourceTimeMs, sourceProblem: context.sourceTimeProblem, consumeMs: consumeMs,
                eventID: context.eventID)
            items.reserveCapacity(context.outputs.count)
            for (index, output) in context.outputs.enumerated() {
                let stamped = stamper.stamp(output, context: context, route: route, consumeMs: consumeMs, nowMs: consumeMs)
                items.append(InFlightOutput(
                    slot: slot, generation: generation, seq: 0, input: record, output: stamped, kind: .output,
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
            let timing = RecordTiming(sourceMs: nil, sourceProblem: nil, consumeMs: consumeMs, eventID: nil)
            items.append(InFlightOutput(
                slot: slot, generation: generation, seq: 0, input: record,
                output: deadLetter(record, rejection, attempts: 1, firstFailedAtMs: consumeMs), kind: .deadLetter,
                primary: false, attempts: 1, firstFailedAtMs: consumeMs, timing: timing, rejection: rejection))
        }
        let seq = partitions[slot].progress.begin(offset: record.offset, outputs: items.count)
        if items.isEmpty { completed(partitions[slot].progress.advance()) }
        for item in items {
            item.seq = seq
            send(item)
        }
    }

    private func deadLetter(_ input: InputRecord, _ rejection: Rejection, attempts: Int, firstFailedAtMs: Int64) -> OutputRecord {
        DeadLetter.record(
            for: input, rejection: rejection, connector: spec.name, mappingVersion: spec.mappingVersion,
            dlqTopic: spec.dlqTopic, attempts: attempts, firstFailedAtMs: firstFailedAtMs)
    }

    /// Enqueues one output. While librdkafka's queue is full it waits for delivery reports, which
    /// are kept for the loop to handle (handling them here could send again, and recurse). While
    /// the sink's breaker is open (or half-open with no probe left) the output waits in the retry
    /// queue instead — counted as outstanding, so consumption stays paused; nothing is dropped.
    private func send(_ item: InFlightOutput, breakerChecked: Bool = false) {
        guard let producer else {
            // Between a failed producer and its replacement: wait, never drop.
            item.dueAt = ContinuousClock.now + .seconds(1)
            retryQueue.append(item)
            stats.inFlight.add(1, ordering: .relaxed)
            return
        }
        if !breakerChecked && !gate.breaker.allowCall(nowNanos: Self.nanos()) {
            item.dueAt = nil
            retryQueue.append(item)
            stats.inFlight.add(1, ordering: .relaxed)
            return
        }
        item.sentAtNanos = Self.nanos()
        let output = item.output
        let token = inFlight.insert(item)
        stats.inFlight.add(1, ordering: .relaxed)
        while true {
            do throws(KafkaError) {
                try producer.produce(output, token: token)
                return
            } catch where error.name == "_QUEUE_FULL" {
                producer.serveDeliveries(timeoutMs: 10) { deferredReports.append($0) }
                if mode == .crash { return }
            } catch {
                // Refused before it left (unknown topic name, invalid argument …): same path as a failed delivery.
                deferredReports.append(DeliveryReport(token: token, topic: output.topic, partition: -1, offset: -1, error: error))
                return
            }
        }
    }

    /// Handles delivery reports: those kept while a send waited, then what the producer has now.
    /// Returns how many were handled.
    @discardableResult
    private func serveDeliveries(timeoutMs: Int32) -> Int {
        var handled = handleDeferredReports()
        if let producer {
            handled += producer.serveDeliveries(timeoutMs: timeoutMs) { handleDelivery($0) }
        }
        return handled + handleDeferredReports()
    }

    private func handleDeferredReports() -> Int {
        var handled = 0
        while !deferredReports.isEmpty {
            let reports = deferredReports
            deferredReports = []
            for report in reports { handleDelivery(report) }
            handled += reports.count
        }
        return handled
    }

    private func handleDelivery(_ report: DeliveryReport) {
        guard let item = inFlight.remove(token: report.token) else { return }
        stats.inFlight.subtract(1, ordering: .relaxed)
        let now = Self.nanos()
        let duration = now > item.sentAtNanos ? now - item.sentAtNanos : 0
        guard let error = report.error else {
            if let change = gate.breaker.record(failed: false, durationNanos: duration, nowNanos: now) { noteBreaker(change) }
            delivered(item, report: report)
            return
        }
        if mode == .crash { return }
        // A record the brokers refuse for good says nothing about the sink's health.
        if !error.isPermanentForRecord, let change = gate.breaker.record(failed: true, durationNanos: duration, nowNanos: now) {
            noteBreaker(change)
        }
        let nowMs = Self.nowMs()
        if error.isPermanentForRecord {
            switch item.kind {
            case .output:
                logger.warning("brokers refused an output for good; sending the input to the DLQ", metadata: [
                    "error": "\(error.name)", "offset": "\(item.input.coordinates)", "topic": "\(item.output.topic)",
                ])
                let rejection = Rejection(
                    stage: .produce, code: ErrorCode.produceRejected.rawValue, field: nil,
                    message: "the brokers refused the output for \(item.output.topic): \(error.name) \(error.message)")
                item.output = deadLetter(item.input, rejection, attempts: item.attempts, firstFailedAtMs: item.firstFailedAtMs ?? nowMs)
                item.kind = .deadLetter
                item.primary = false
                item.rejection = rejection
                item.attempts = 1
                send(item)
                return
            case .deadLetter where item.output.headers.last(named: HeaderNames.valueDropped) == nil:
                // The brokers will not take the original bytes even in the DLQ (bigger than the DLQ
                // topic allows): keep the record's place and reason, say so, and drop only the value.
                logger.error("the DLQ refused a rejected record's bytes; writing its DLQ entry without the value", metadata: [
                    "error": "\(error.name)", "offset": "\(item.input.coordinates)", "bytes": "\(item.input.value?.count ?? 0)",
                ])
                item.output.value = nil
                item.output.headers.append(RecordHeader(
                    HeaderNames.valueDropped, "\(item.input.value?.count ?? 0) bytes refused by the DLQ topic: \(error.name)"))
                send(item)
                return
            case .latencyObservation, .timed, .alert:
                // No DLQ for the hub's own records: retrying cannot help and would hold the partition
                // (and then the connector) forever. Count it, say so loudly, move on.
                dropped(item, error: error)
                return
            case .deadLetter:
                break
            }
        }
        if let firstFailed = item.firstFailedAtMs,
           spec.resilience.retry.givesUp(firstFailedAtMs: firstFailed, nowMs: nowMs, sinkHealthy: gate.breaker.state == .closed)
        {
            giveUp(item, error: error, failingForMs: nowMs - firstFailed)
            return
        }
        // Transient (or a DLQ write that failed): retry with back-off, within `retry.give_up_after_ms`.
        item.attempts += 1
        item.firstFailedAtMs = item.firstFailedAtMs ?? nowMs
        item.dueAt = ContinuousClock.now + spec.resilience.retry.delay(attempt: item.attempts - 1)
        stats.retries.add(1, ordering: .relaxed)
        activity.retries += 1
        logger.warning("delivery failed, will retry", metadata: [
            "error": "\(error.name)", "attempt": "\(item.attempts)", "offset": "\(item.input.coordinates)",
        ])
        retryQueue.append(item)
        stats.inFlight.add(1, ordering: .relaxed)
    }

    /// A hub-made record (latency observation, timed output, alert) the brokers refused for good.
    private func dropped(_ item: InFlightOutput, error: KafkaError) {
        let kind: String
        switch item.kind {
        case .latencyObservation: kind = "latency_observation"
        case .timed: kind = "timed_output"
        case .alert: kind = "alert"
        case .deadLetter: kind = "dead_letter"
        case .output: kind = "output"
        }
        activity.dropped[kind, default: 0] += 1
        logger.error("the brokers refused a \(kind) for good; it is dropped and counted", metadata: [
            "error": "\(error.name)", "topic": "\(item.output.topic)", "event": "\(item.timing.eventID ?? "-")",
        ])
        if case .timed(let id) = item.kind, item.generation < options.emitters.count {
            timedInFlight[item.generation].remove(id)
            options.emitters[item.generation].delivered(ids: [id])
            return
        }
        if item.kind == .latencyObservation || item.kind == .deadLetter { acknowledge(item) }
    }

    /// An output that kept failing while its sink's breaker stayed closed: the one record stuck. A canonical
    /// output sends its input to the DLQ (`retries_exhausted`); anything else is dropped and counted.
    /// Either way its partition moves on.
    private func giveUp(_ item: InFlightOutput, error: KafkaError, failingForMs: Int64) {
        guard item.kind == .output else {
            logger.error("giving up on a record that kept failing while its sink stayed healthy", metadata: [
                "topic": "\(item.output.topic)", "attempts": "\(item.attempts)", "seconds": "\(failingForMs / 1000)",
                "offset": "\(item.input.coordinates)",
            ])
            dropped(item, error: error)
            return
        }
        logger.error("an output kept failing while its sink stayed healthy; sending its input to the DLQ", metadata: [
            "error": "\(error.name)", "offset": "\(item.input.coordinates)", "topic": "\(item.output.topic)", "attempts": "\(item.attempts)",
        ])
        let rejection = Rejection(
            stage: .produce, code: ErrorCode.retriesExhausted.rawValue, field: nil,
            message: "the output for \(item.output.topic) failed \(item.attempts) times over \(failingForMs / 1000) s while the sink's circuit breaker stayed closed; last error \(error.name): \(error.message)")
        item.output = deadLetter(item.input, rejection, attempts: item.attempts, firstFailedAtMs: item.firstFailedAtMs ?? Self.nowMs())
        item.kind = .deadLetter
        item.primary = false
        item.rejection = rejection
        item.attempts = 1
        item.firstFailedAtMs = nil
        send(item)
    }

    /// After a fatal producer error (the idempotent producer fenced …) librdkafka takes nothing more
    /// from that producer: make a new one and send everything that was in flight again. Their
    /// offsets were never committed past, so nothing is lost; duplicates are possible.
    private func recreateProducerIfFailed(config: KafkaConfig) {
        if fatalErrorRequested.exchange(false, ordering: .acquiringAndReleasing) {
            producer?.raiseFatalErrorForTesting(reason: "requested by a test")
            _ = serveDeliveries(timeoutMs: 100)
        }
        let fatal = producer?.fatalError
        guard producer == nil || fatal != nil else { return }
        if let old = producer, let fatal {
            logger.error("producer fatal error \(fatal.name): \(fatal.message); recreating the producer and sending its in-flight outputs again")
            activity.producerRestarts += 1
            producer = nil
            old.abandon()
            deferredReports.removeAll()
            for item in inFlight.drain() {
                item.dueAt = nil
                retryQueue.append(item)
            }
        }
        do {
            let fresh = try KafkaProducer(config: config, logger: logger)
            if let wakeup { fresh.enableWakeup(wakeup) }
            producer = fresh
        } catch {
            logger.error("cannot create a producer (\(error.name): \(error.message)); outputs wait and it is tried again")
        }
    }

    /// Makes the producer fail as if fenced (librdkafka's fabricated fatal error); the loop then
    /// recreates it. For tests of that path.
    public func raiseProducerFatalErrorForTesting() {
        fatalErrorRequested.store(true, ordering: .releasing)
        wakeup?.signal()
    }

    /// An output was acknowledged: count it, time it, and move the partition's progress on.
    private func delivered(_ item: InFlightOutput, report: DeliveryReport) {
        switch item.kind {
        case .deadLetter:
            stats.deadLettered.add(1, ordering: .relaxed)
            if let rejection = item.rejection {
                activity.rejected[.init(stage: rejection.stage, code: rejection.code), default: 0] += 1
                activity.deadLetters.append(DeadLetterNotice(
                    connector: spec.name, rejection: rejection, sourceTopic: item.input.topic,
                    sourcePartition: item.input.partition, sourceOffset: item.input.offset, dlqTopic: report.topic,
                    dlqPartition: report.partition, dlqOffset: report.offset, mappingVersion: spec.mappingVersion,
                    eventID: item.timing.eventID, failedAtMs: item.firstFailedAtMs ?? item.timing.consumeMs))
            }
        case .latencyObservation:
            break
        case .alert:
            activity.produced[report.topic, default: 0] += 1
            return
        case .timed(let id):
            stats.produced.add(1, ordering: .relaxed)
            activity.produced[report.topic, default: 0] += 1
            if item.generation < options.emitters.count {
                timedInFlight[item.generation].remove(id)
                options.emitters[item.generation].delivered(ids: [id])
            }
            return
        case .output:
            stats.produced.add(1, ordering: .relaxed)
            countProduced(item.output.topic)
            if item.primary && spec.observesLatency { observeLatency(item, outputTopic: report.topic) }
        }
        acknowledge(item)
    }

    private func observeLatency(_ item: InFlightOutput, outputTopic: String) {
        let verdict = tracker.observe(
            sourceMs: item.timing.sourceMs, unknownReason: item.timing.sourceProblem, brokerMs: item.input.timestampMs,
            consumeMs: item.timing.consumeMs, ackMs: Self.nowMs())
        switch verdict {
        case .unknownSource(let reason):
            activity.unknownSource[reason, default: 0] += 1
        case .clockSkew:
            activity.skewed += 1
        case .observed(let observation):
            activity.observations.append(observation)
            guard observation.delayed else { return }
            let delayed = DelayedRecord(
                connector: spec.name, eventID: item.timing.eventID ?? item.input.coordinates, sourceTopic: item.input.topic,
                sourcePartition: item.input.partition, sourceOffset: item.input.offset, outputTopic: outputTopic,
                observation: observation, mappingVersion: spec.mappingVersion)
            activity.delayed.append(delayed)
            // The observation is one more output of this input: the offset waits for it too.
            guard partitions.live(item.slot, generation: item.generation) else { return }
            partitions[item.slot].progress.expect(seq: item.seq, more: 1)
            let observationItem = item.copy()
            observationItem.kind = .latencyObservation
            observationItem.primary = false
            observationItem.output = OutputRecord(
                topic: TopicNames.latency, key: Array(delayed.eventID.utf8),
                value: LatencyRecordEncoder.encode(delayed, sloMs: tracker.sloMs),
                headers: [RecordHeader(HeaderNames.connector, spec.name)])
            send(observationItem)
        }
    }

    /// Asks the timed emitters, about once a second, for what is due, and sends it.
    private func tickEmitters() {
        guard !options.emitters.isEmpty, ContinuousClock.now - lastEmitterTick >= .seconds(1) else { return }
        lastEmitterTick = .now
        if timedInFlight.count != options.emitters.count { timedInFlight = Array(repeating: [], count: options.emitters.count) }
        let nowMs = Self.nowMs()
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

    /// Counts an acknowledged output by topic. Outputs arrive in runs of one topic, so the run is
    /// counted here and folded into the activity's dictionary once per run, not hashed per record.
    @inline(__always)
    private func countProduced(_ topic: String) {
        if producedRun.count > 0, producedRun.topic != topic { foldProducedRun() }
        if producedRun.count == 0 { producedRun.topic = topic }
        producedRun.count += 1
    }

    private func foldProducedRun() {
        guard producedRun.count > 0 else { return }
        activity.produced[producedRun.topic, default: 0] += producedRun.count
        producedRun.count = 0
    }

    /// Hands the turn's activity to the observer (metrics, ledger) and starts a new one.
    private func publishActivity() {
        foldProducedRun()
        fieldCounter.fold(into: &activity)
        guard !activity.isEmpty else { return }
        if !activity.fieldSeen.isEmpty {
            stats.fields.withLock { table in
                for (field, seen) in activity.fieldSeen {
                    let current = table[field] ?? (0, 0)
                    table[field] = (current.seen + seen, current.empty + (activity.fieldEmpty[field] ?? 0))
                }
            }
        }
        options.observer.record(activity)
        activity = ConnectorActivity(connector: spec.name, atMs: Self.nowMs())
    }

    private func produceDueRetries() {
        guard !retryQueue.isEmpty else { return }
        let now = ContinuousClock.now
        var waiting: [InFlightOutput] = []
        let due = retryQueue
        retryQueue = []
        let nowNanos = Self.nanos()
        for item in due {
            if let dueAt = item.dueAt, dueAt > now {
                waiting.append(item)
            } else if gate.breaker.allowCall(nowNanos: nowNanos) {
                stats.inFlight.subtract(1, ordering: .relaxed)
                send(item, breakerChecked: true)
            } else {
                waiting.append(item)
            }
        }
        retryQueue.append(contentsOf: waiting)
    }

    private func acknowledge(_ item: InFlightOutput) {
        guard partitions.live(item.slot, generation: item.generation) else { return }
        completed(partitions[item.slot].progress.acknowledge(seq: item.seq))
    }

    private func completed(_ records: Int) {
        guard records > 0 else { return }
        stats.handled.add(records, ordering: .relaxed)
        handledSinceCommit += records
    }

    /// Pauses every partition while something holds the whole connector (operator, back-pressure,
    /// breaker, connector rate limit), and otherwise just the partitions whose rate-limit key is out
    /// of tokens — so records wait in Kafka, not in memory.
    private func applyPauses(_ consumer: KafkaConsumer, nowNanos: UInt64) {
        let outstanding = inFlight.count + retryQueue.count
        let overBytes = inFlight.bytes > spec.tuning.maxInFlightBytes
        let hold = gate.hold(
            operatorPaused: operatorPaused.load(ordering: .acquiring), outstanding: overBytes ? Int.max : outstanding,
            maxInFlight: spec.tuning.maxInFlight, nowNanos: nowNanos)
        if hold != currentHold {
            if let hold {
                logger.info("pausing consumption: \(hold.rawValue)", metadata: ["outstanding": "\(outstanding)", "bytes": "\(inFlight.bytes)"])
            } else if let previous = currentHold {
                logger.info("resuming consumption (was: \(previous.rawValue))")
            }
            currentHold = hold
        }
        let blocked = gate.blockedPartitions
        let pauseAll = hold != nil && hold != .backPressure
        guard pauseAll || !blocked.isEmpty || !pausedSet.isEmpty else {
            partitionsPaused.store(false, ordering: .releasing)
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
        partitionsPaused.store(!all.isEmpty && pausedSet.count == all.count, ordering: .releasing)
    }

    /// Logs, counts and exports a breaker state change.
    private func noteBreaker(_ change: BreakerTransition) {
        breakerStateValue.store(Int(change.to.gaugeValue), ordering: .relaxed)
        activity.breakerTransitions.append(change)
        if change.to == .open {
            logger.warning("circuit breaker \(change)", metadata: ["sink": "kafka"])
        } else {
            logger.info("circuit breaker \(change)", metadata: ["sink": "kafka"])
        }
    }

    /// Samples consumer lag per assigned partition, at most once a second.
    private func sampleLag(_ consumer: KafkaConsumer) {
        guard ContinuousClock.now - lastLagSample >= .seconds(1) else { return }
        lastLagSample = .now
        let now = Self.nowMs()
        var total = 0
        var maxMillis = 0
        for slot in partitions.assignedSlots {
            let state = partitions[slot]
            guard let high = consumer.cachedHighWatermark(topic: state.key.topic, partition: state.key.partition) else { continue }
            let last = state.lastConsumed
            let position = last.map { $0.offset + 1 } ?? state.progress.lastCommitted ?? high
            let records = max(0, high - position)
            let millis = records > 0 ? max(0, now - (last?.timestampMs ?? now)) : 0
            total += Int(records)
            maxMillis = max(maxMillis, Int(millis))
            activity.lag.append(PartitionLag(
                topic: state.key.topic, partition: state.key.partition, records: records, seconds: Double(millis) / 1000))
        }
        stats.lagRecords.store(total, ordering: .relaxed)
        stats.lagMillis.store(maxMillis, ordering: .relaxed)
    }

    // MARK: - Commits: sent asynchronously, counted only when the group coordinator confirms them

    /// Sends the committable offsets when the interval passed or enough records were handled;
    /// `force` sends now and waits (bounded) for the coordinator's answer.
    private func commitIfDue(force: Bool) {
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
                stats.commitFailures.add(1, ordering: .relaxed)
                activity.commitFailures += 1
                logger.warning("commit could not be sent (the next commit covers these offsets): \(error)")
            }
        }
        guard force else { return }
        // Wait for the answers: only confirmed offsets count, and a stop or revoke must know.
        let deadline = ContinuousClock.now + .seconds(10)
        while partitions.assignedSlots.contains(where: { partitions[$0].progress.commitsPending }) && ContinuousClock.now < deadline
            && mode != .crash {
            serveCommitResults(consumer, timeoutMs: 100)
            serveDeliveries(timeoutMs: 0)
        }
    }

    /// Applies the coordinator's answers: confirmed offsets count as committed, refused ones are
    /// counted and sent again by the next commit. Answers for partitions no longer assigned are ignored.
    private func serveCommitResults(_ consumer: KafkaConsumer, timeoutMs: Int32 = 0) {
        for outcome in consumer.commitResults(timeoutMs: timeoutMs) {
            guard let offset = outcome.partition.offset,
                  let slot = partitions.slot(topic: outcome.partition.topic, partition: outcome.partition.partition) else { continue }
            if let error = outcome.error {
                partitions[slot].progress.commitFailed(offset)
                stats.commitFailures.add(1, ordering: .relaxed)
                activity.commitFailures += 1
                logger.warning("the group coordinator refused a commit; it will be sent again", metadata: [
                    "partition": "\(outcome.partition)", "error": "\(error.name)",
                ])
            } else {
                let newly = partitions[slot].progress.commitConfirmed(offset)
                stats.committed.add(newly, ordering: .relaxed)
                activity.committed += newly
            }
        }
    }

    /// Waits for in-flight outputs (and due retries) until none remain or the timeout passes.
    private func drain(timeout: Duration) {
        let deadline = ContinuousClock.now + timeout
        while (!inFlight.isEmpty || !retryQueue.isEmpty || !deferredReports.isEmpty) && ContinuousClock.now < deadline && mode != .crash {
            serveDeliveries(timeoutMs: 20)
            produceDueRetries()
        }
        if !inFlight.isEmpty || !retryQueue.isEmpty {
            logger.warning("stopping with \(inFlight.count + retryQueue.count) outputs unacknowledged; their inputs stay uncommitted and will be redelivered")
        }
    }

    private func handleRebalance(_ event: RebalanceEvent) -> AssignmentDecision {
        switch event {
        case .assigned(let assignment):
            assignedCount.store(assignment.count, ordering: .relaxed)
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
                operatorPaused: operatorPaused.load(ordering: .acquiring), outstanding: inFlight.count + retryQueue.count,
                maxInFlight: spec.tuning.maxInFlight, nowNanos: Self.nanos())
            let paused = hold != nil && hold != .backPressure
            pausedSet = paused ? Set(assignment.map { PartitionKey(topic: $0.topic, partition: $0.partition) }) : []
            logger.info("partitions assigned", metadata: [
                "partitions": "\(assignment.map(\.description).joined(separator: ","))", "paused": "\(paused)",
            ])
            partitionsPaused.store(paused, ordering: .releasing)
            return paused ? .assignPaused : .consume
        case .revoked(let revokedPartitions):
            logger.info("partitions revoked; draining and committing", metadata: ["partitions": "\(revokedPartitions.count)"])
            if mode != .crash {
                // On the way out the loop has drained already; a second wait would double the stop time.
                if !finalDrainDone { drain(timeout: options.drainTimeout) }
                commitIfDue(force: true)
            }
            if mode != .crash { options.restorer?.release(partitions: revokedPartitions) }
            let revoked = Set(revokedPartitions.map { PartitionKey(topic: $0.topic, partition: $0.partition) })
            // Parked records of revoked partitions are uncommitted: the next owner gets them again.
            parked.removeAll { revoked.contains(PartitionKey(topic: $0.topic, partition: $0.partition)) }
            for key in revoked {
                partitions.revoke(key)
                gate.forget(key)
            }
            assignedCount.store(0, ordering: .relaxed)
            assigned = []
            pausedSet = []
            partitionsPaused.store(false, ordering: .releasing)
            return .consume
        }
    }

    /// Restores the assigned partitions' state through the restorer, retrying while the changelog
    /// cannot be read (nothing is processed meanwhile).
    private func restoreState(of assignment: [TopicPartition]) {
        guard let restorer = options.restorer, !assignment.isEmpty else { return }
        restoreProgress.withLock {
            $0.pending = assignment.count
            $0.restored = 0
        }
        var attempt = 0
        while mode == .running {
            do {
                let done = try restorer.restore(partitions: assignment)
                restoreProgress.withLock { progress in
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
                restoreProgress.withLock { $0.lastError = "\(error)" }
                logger.error("cannot restore the state of \(assignment.count) partitions (attempt \(attempt)); retrying: \(error)")
                Thread.sleep(forTimeInterval: min(5, 0.2 * Double(attempt)))
            }
        }
    }

    static func seconds(since start: ContinuousClock.Instant) -> Double {
        Double((ContinuousClock.now - start) / .microseconds(1)) / 1_000_000
    }

    static func nanos() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

    /// User plus system CPU time of the whole process so far.
    static func cpuSeconds() -> Double {
        var usage = rusage()
        guard getrusage(RUSAGE_SELF.rawValue, &usage) == 0 else { return 0 }
        func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1_000_000 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }

    static func nowMs() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }
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
