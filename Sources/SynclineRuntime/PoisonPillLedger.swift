import SynclineMapping

/// The records the hub crashed on, and how often: plain values, kept as JSON beside the crash-mark
/// file. A record the hub crashed on twice is quarantined: the runtime sends it to the DLQ as
/// `poison_pill` instead of running it again. A table, not one slot, so two poison pills on two
/// partitions cannot take turns resetting each other's count.
struct PoisonPillLedger: Codable, Equatable, Sendable {
    struct Suspect: Codable, Equatable, Sendable {
        var topic: String
        var partition: Int32
        var offset: Int64
        var stage: ErrorStage
        var crashes: Int
        /// The last fatal signal (4 SIGILL: a Swift runtime trap; 11 SIGSEGV; 6 SIGABRT …).
        var signal: Int32
        var lastCrashMs: Int64
    }

    /// Crashes on one record after which it is quarantined.
    static let threshold = 2
    /// Suspects kept (the oldest is forgotten first).
    static let capacity = 32

    private(set) var suspects: [Suspect] = []

    /// Counts a crash on a record; returns its suspect entry as it now stands.
    @discardableResult
    mutating func recordCrash(topic: String, partition: Int32, offset: Int64, stage: ErrorStage, signal: Int32, atMs: Int64) -> Suspect {
        var entry = Suspect(topic: topic, partition: partition, offset: offset, stage: stage, crashes: 0, signal: signal, lastCrashMs: atMs)
        if let index = suspects.firstIndex(where: { $0.topic == topic && $0.partition == partition && $0.offset == offset }) {
            entry.crashes = suspects[index].crashes
            suspects.remove(at: index)
        }
        entry.crashes += 1
        suspects.append(entry)
        if suspects.count > Self.capacity { suspects.removeFirst(suspects.count - Self.capacity) }
        return entry
    }

    /// The quarantined records (crashed on `threshold` times or more).
    var quarantined: [Suspect] { suspects.filter { $0.crashes >= Self.threshold } }

    /// The quarantine entry for a record, if it is one.
    func quarantine(topic: String, partition: Int32, offset: Int64) -> Suspect? {
        suspects.first { $0.crashes >= Self.threshold && $0.offset == offset && $0.partition == partition && $0.topic == topic }
    }
}
