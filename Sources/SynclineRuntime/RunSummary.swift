import Foundation

/// The one-line JSON summary `syncline run --exit-after N` prints on exit.
public struct RunSummary: Sendable, Codable, Equatable {
    public var connector: String
    public var recordsIn: Int
    public var recordsOut: Int
    public var dlq: Int
    public var retries: Int
    public var committed: Int
    public var seconds: Double
    /// From the first consumed record to the end of the run (excludes start-up and the group join).
    public var activeSeconds: Double
    /// From the first consumed record to the moment the last output was acknowledged and the
    /// brokers confirmed the commit covering it (before drain and close): the benchmark's window.
    public var windowSeconds: Double?
    /// CPU time (user + system, whole process) spent in that window.
    public var windowCPUSeconds: Double?
    /// Of that, the connector loop's thread (consume, produce, delivery reports, commits) …
    public var loopCPUSeconds: Double?
    /// … and the pipeline worker's thread (mapping and validation), when it has one: the thread with
    /// the most CPU per record sets the pace.
    public var mappingCPUSeconds: Double?
    /// Times the consumer's full queue was nudged so librdkafka 2.0.2 kept fetching (each one a
    /// ~1 s fetch pause avoided): evidence that the consumer never stalled on a full queue.
    public var fetchWakeups: Int?

    enum CodingKeys: String, CodingKey {
        case connector
        case recordsIn = "records_in"
        case recordsOut = "records_out"
        case dlq, retries, committed, seconds
        case activeSeconds = "active_seconds"
        case windowSeconds = "window_seconds"
        case windowCPUSeconds = "window_cpu_seconds"
        case loopCPUSeconds = "loop_cpu_seconds"
        case mappingCPUSeconds = "mapping_cpu_seconds"
        case fetchWakeups = "fetch_wakeups"
    }

    public var jsonLine: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(self) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }
}
