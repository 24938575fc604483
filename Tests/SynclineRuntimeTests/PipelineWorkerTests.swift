import Foundation
import Logging
import Synchronization
import SynclineMapping
import SynclineRecords
@testable import SynclineRuntime
import Testing

/// Notes every thread a stage ran on.
final class ThreadLog: Sendable {
    private let threads = Mutex<Set<UInt>>([])
    func note() { threads.withLock { _ = $0.insert(UInt(pthread_self())) } }
    var seen: Set<UInt> { threads.withLock { $0 } }
}

/// Rejects records keyed `bad`, passes the others, and notes where it ran.
struct ThreadNotingStage: RecordStage {
    let name = "note"
    let log: ThreadLog

    func process(_ context: inout RecordContext) throws(Rejection) {
        log.note()
        if context.input.key == Array("bad".utf8) {
            throw Rejection(stage: .validate, code: "bad_key", field: nil, message: "keyed bad")
        }
    }
}

@Suite("Pipeline worker: batches mapped on a thread of its own, whole and in order")
struct PipelineWorkerTests {
    static let spec = ConnectorSpec(
        name: "worker", mappingVersion: "t", inputTopics: ["raw.test.worker.v1"], routes: [RouteSpec(name: "all", topic: "crm.worker.v1")])

    static func records(_ keys: [String], from offset: Int64) -> [InputRecord] {
        keys.enumerated().map { index, key in
            InputRecord(topic: "raw.test.worker.v1", partition: 0, offset: offset + Int64(index), key: Array(key.utf8), value: Array("{}".utf8))
        }
    }

    @Test("each batch comes back whole, in order, with its verdicts, mapped on the worker's thread; stop joins it")
    func batchesInOrderOnTheWorkerThread() {
        let log = ThreadLog()
        let pipeline = RecordPipeline(stages: [ThreadNotingStage(log: log)])
        let spec = Self.spec
        let mappedSignal = DispatchSemaphore(value: 0)
        let worker = PipelineWorker(
            name: "syncline-map-test",
            makeMapper: { RecordMapper(pipeline: pipeline, spec: spec, crashMarkDirectory: nil, logger: Logger(label: "test")) },
            wake: { mappedSignal.signal() })
        var offsets: [Int64] = []
        var rejected: [Int64] = []
        for batch in 0..<20 {
            let keys = (0..<50).map { $0 % 7 == 3 ? "bad" : "k\($0)" }
            let first = Int64(batch * 50)
            worker.submit(Self.records(keys, from: first), consumeMs: first)
            #expect(worker.busy)
            // The wake-up says the batch is mapped: taking it then never blocks and never misses.
            mappedSignal.wait()
            let mapped = worker.takeIfDone()
            #expect(mapped?.consumeMs == first)
            #expect(!worker.busy)
            for item in mapped?.records ?? [] {
                offsets.append(item.record.offset)
                if case .ran(.failure(let rejection)) = item.outcome {
                    #expect(rejection.code == "bad_key")
                    rejected.append(item.record.offset)
                }
            }
        }
        #expect(offsets == Array(0..<1_000))
        #expect(rejected == (0..<1_000).filter { $0 % 50 % 7 == 3 })
        #expect(worker.takeIfDone() == nil)
        // mapNow hands over and waits.
        let now = worker.mapNow(Self.records(["a", "bad"], from: 5_000), consumeMs: 9)
        #expect(now.records.map(\.record.offset) == [5_000, 5_001])
        // One thread mapped everything, and not the caller's.
        #expect(log.seen.count == 1)
        #expect(!log.seen.contains(UInt(pthread_self())))
        worker.stop()
    }

    @Test("waitForBatch returns the batch in hand, and nil when none was handed over")
    func waitForBatch() {
        let pipeline = RecordPipeline(stages: [ThreadNotingStage(log: ThreadLog())])
        let spec = Self.spec
        let worker = PipelineWorker(
            name: "syncline-map-test", makeMapper: { RecordMapper(pipeline: pipeline, spec: spec, crashMarkDirectory: nil, logger: Logger(label: "test")) },
            wake: {})
        #expect(worker.waitForBatch() == nil)
        worker.submit(Self.records(["x", "y", "z"], from: 10), consumeMs: 1)
        #expect(worker.waitForBatch()?.records.map(\.record.offset) == [10, 11, 12])
        #expect(!worker.busy)
        worker.stop()
    }
}
