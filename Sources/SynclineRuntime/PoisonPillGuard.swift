import Foundation
import Logging
import SynclineMapping

/// The poison-pill guard of one connector: it marks each record entering the pipeline in a mapped
/// file of the state directory (`CrashMarkFile`), reads on start whether the previous process died
/// on one, keeps a crash count per record (`PoisonPillLedger`, JSON beside it), and tells the
/// runtime which records to send to the DLQ untouched instead of running them a third time.
/// Only a fatal signal on the thread that maps the connector's records counts: a SIGKILL, an
/// out-of-memory kill or a crash on another thread leaves no mark, so no record is blamed for it.
final class PoisonPillGuard {
    private let marks: CrashMarkFile
    private let topics: [String]
    private var ledger: PoisonPillLedger
    /// Whether any record is quarantined: the per-record check is one branch while none is.
    private(set) var hasQuarantine: Bool
    private let registered: Bool

    /// Where a connector's files live inside the state directory.
    static func directory(inStateDirectory state: URL) -> URL { state.appendingPathComponent("runtime", isDirectory: true) }

    /// Opens the connector's crash-mark file, counts a crash the previous process left in it, and
    /// registers the calling thread (the one that maps records: `RecordMapper`) for the fatal-signal mark.
    init(directory: URL, connector: String, topics: [String], logger: Logger, nowMs: Int64) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let ledgerURL = directory.appendingPathComponent("\(connector).suspects.json")
        marks = try CrashMarkFile(url: directory.appendingPathComponent("\(connector).crashmark"))
        self.topics = topics
        ledger = (try? Data(contentsOf: ledgerURL)).flatMap { try? JSONDecoder().decode(PoisonPillLedger.self, from: $0) } ?? PoisonPillLedger()
        if let leftover = marks.leftover() {
            if let signal = leftover.signal, let topic = leftover.topic, let stage = leftover.stage {
                let suspect = ledger.recordCrash(
                    topic: topic, partition: leftover.partition, offset: leftover.offset, stage: stage, signal: signal, atMs: nowMs)
                logger.error("the previous run crashed on a record", metadata: [
                    "signal": "\(signal)", "offset": "\(topic)/\(leftover.partition)@\(leftover.offset)", "stage": "\(stage.rawValue)",
                    "crashes": "\(suspect.crashes) of \(PoisonPillLedger.threshold) before it goes to the DLQ as poison_pill",
                ])
                let data = try JSONEncoder().encode(ledger)
                try data.write(to: ledgerURL, options: .atomic)
            } else if let signal = leftover.signal {
                logger.error("the previous run crashed (signal \(signal)) outside record processing; no record is blamed")
            } else if let topic = leftover.topic {
                logger.info("the previous run ended (killed, not a fault) while a record was in the pipeline; not counted as a crash", metadata: [
                    "offset": "\(topic)/\(leftover.partition)@\(leftover.offset)",
                ])
            }
        }
        hasQuarantine = !ledger.quarantined.isEmpty
        marks.reset(topics: topics)
        registered = marks.registerCurrentThread()
        if !registered { logger.warning("no alternate signal stack for the mapping thread: a stack overflow would not be attributed to its record") }
    }

    deinit { if registered { marks.unregisterCurrentThread() } }

    /// The quarantine entry for a record, if the hub crashed on it twice.
    func quarantine(_ record: InputRecord) -> PoisonPillLedger.Suspect? {
        guard hasQuarantine else { return nil }
        return ledger.quarantine(topic: record.topic, partition: record.partition, offset: record.offset)
    }

    /// A record enters the pipeline (a few stores into the mapped file).
    @inline(__always)
    func begin(_ record: InputRecord) {
        var index: Int32 = -1
        for position in topics.indices where topics[position] == record.topic {
            index = Int32(truncatingIfNeeded: position)
            break
        }
        marks.begin(topicIndex: index, partition: record.partition, offset: record.offset)
    }

    /// Where the pipeline writes the stage it is in.
    var stageMark: UnsafeMutablePointer<UInt8> { marks.stageMark }

    /// The record left the pipeline.
    @inline(__always)
    func end() { marks.end() }
}
