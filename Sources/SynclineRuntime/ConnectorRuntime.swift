public import Logging
public import SynclineMapping
public import SynclineKafka
public import Foundation
import Synchronization

/// Runs one connector: consumes its input topics in a consumer group, runs each record through the
/// pipeline, produces every output (or the DLQ record), and commits an input offset only once every
/// record at or below it on that partition is acknowledged. This is the handle other threads hold
/// (stop, pause, read progress); each run's state lives in a `ConnectorLoop` on its own thread.
public final class ConnectorRuntime: Sendable {
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
        /// Map records on a thread of their own while the loop produces (stateless connectors only:
        /// see `ConnectorLoop.usesPipelineWorker`). Off: the loop's thread maps too.
        public var pipelineThread = true

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

    /// `detached`: stopped by an operator while the hub runs on (drained, committed, out of the
    /// group) until `startForOperator()`.
    enum StopMode: Int { case running = 0, graceful = 1, crash = 2, detached = 3 }

    public let spec: ConnectorSpec
    public let stats = ConnectorStats()
    let pipeline: RecordPipeline
    let options: Options
    let logger: Logger
    // Shared with the loop thread: atomics and locks only.
    let stopMode = Atomic<Int>(StopMode.running.rawValue)
    let assignedCount = Atomic<Int>(0)
    let finalSummary = Mutex<RunSummary?>(nil)
    let operatorPaused = Atomic<Bool>(false)
    let running = Atomic<Bool>(false)
    let partitionsPaused = Atomic<Bool>(false)
    let breakerStateValue = Atomic<Int>(0)
    let restoreProgress = Mutex<StateRestoreProgress>(StateRestoreProgress())
    /// Set by `raiseProducerFatalErrorForTesting`; the loop makes its producer fail fatally.
    let fatalErrorRequested = Atomic<Bool>(false)
    /// Wakes the loop when records, delivery reports or commit results arrive (or on stop/pause).
    let wakeup: KafkaWakeup?
    /// Told when an operator's stop ends (start again, or stop for good), for `waitWhileStoppedByOperator`.
    private let operatorEvents = AsyncStream<Void>.makeStream()
    /// Set by `startForOperator`, taken by `waitWhileStoppedByOperator`: a run to start again.
    private let restartRequested = Atomic<Bool>(false)

    public init(spec: ConnectorSpec, pipeline: RecordPipeline, options: Options, logger: Logger) {
        self.spec = spec
        self.pipeline = pipeline
        self.options = options
        var logger = logger
        logger[metadataKey: "connector"] = "\(spec.name)"
        self.logger = logger
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
        _ = stopMode.compareExchange(expected: StopMode.detached.rawValue, desired: StopMode.graceful.rawValue, ordering: .acquiringAndReleasing)
        operatorEvents.continuation.yield()
        wakeup?.signal()
    }

    /// Abrupt stop, as a crash would: no draining, no commit, the group is not told.
    public func crash() {
        stopMode.store(StopMode.crash.rawValue, ordering: .releasing)
        operatorEvents.continuation.yield()
        wakeup?.signal()
    }

    /// Stops the connector for an operator while the hub runs on (`syncline resync --stop-first`):
    /// it stops taking records, drains, commits and leaves its consumer group, then waits for
    /// `startForOperator()`. Returns once it has left the group; false when it was not running.
    public func stopForOperator(timeout: Duration = .seconds(60)) async -> Bool {
        guard stopMode.compareExchange(
            expected: StopMode.running.rawValue, desired: StopMode.detached.rawValue, ordering: .acquiringAndReleasing
        ).exchanged else { return false }
        wakeup?.signal()
        let deadline = ContinuousClock.now + timeout
        while isRunning && ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(10))
        }
        return !isRunning
    }

    /// Starts a connector stopped by `stopForOperator` again: it rejoins its group and reads on from
    /// the committed offsets (rewound, after a resync). False when it was not stopped that way.
    public func startForOperator() -> Bool {
        guard stopMode.compareExchange(
            expected: StopMode.detached.rawValue, desired: StopMode.running.rawValue, ordering: .acquiringAndReleasing
        ).exchanged else { return false }
        restartRequested.store(true, ordering: .releasing)
        operatorEvents.continuation.yield()
        return true
    }

    /// True while an operator's stop holds the connector (see `stopForOperator`).
    public var isStoppedByOperator: Bool { mode == .detached }

    /// After `run()` returned: waits while an operator's stop holds the connector; true when an
    /// operator started it again, false when the run ended for good (shutdown, crash, `exitAfter`,
    /// cancellation).
    public func waitWhileStoppedByOperator() async -> Bool {
        if mode == .detached {
            for await _ in operatorEvents.stream where mode != .detached { break }
        }
        return restartRequested.exchange(false, ordering: .acquiringAndReleasing) && mode == .running
    }

    /// Runs until stopped (or `exitAfter` is reached) on a dedicated thread; returns the summary.
    public func run() async throws -> RunSummary {
        try await withTaskCancellationHandler {
            try await BlockingThread.run(name: "syncline-\(spec.name)") { [self] in try ConnectorLoop(handle: self).run() }
        } onCancel: {
            requestStop()
        }
    }

    /// Makes the producer fail as if fenced (librdkafka's fabricated fatal error); the loop then
    /// recreates it. For tests of that path.
    public func raiseProducerFatalErrorForTesting() {
        fatalErrorRequested.store(true, ordering: .releasing)
        wakeup?.signal()
    }

    var mode: StopMode { StopMode(rawValue: stopMode.load(ordering: .acquiring)) ?? .running }
}
