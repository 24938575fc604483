public import Logging
public import ServiceLifecycle
public import SynclineKafka
import Foundation
import SynclineRecords
import Synchronization

/// `syncline up --demo`: publishes `DemoTraffic` to the raw topics at a steady rate and reports a
/// compact live summary every few seconds. The CLI gives it to the hub as an extra service, last
/// in the group, so on Ctrl-C it stops first (flushing what it produced) while the connectors
/// finish their work.
public final class DemoTrafficService: Service, Sendable {
    /// Counts of what was published, by shape and by intent.
    public struct Published: Sendable, Equatable {
        public var total = 0
        public var byShape: [String: Int] = [:]
        public var invalid = 0
        public var late = 0
        public var strangers = 0
        public var failed = 0
    }

    let kafka: KafkaConfig
    let status: @Sendable () -> [DemoConnectorStatus]
    let settings: DemoTraffic.Settings
    let summaryEvery: Duration
    let report: @Sendable (String) -> Void
    let logger: Logger
    private let counts = Mutex(Published())

    /// - Parameters:
    ///   - status: the hub's connectors as they are now, one line each in the live summary.
    ///   - report: receives the live summary, a few lines at a time (the CLI prints them).
    public init(
        kafka: KafkaConfig, settings: DemoTraffic.Settings = .init(), summaryEvery: Duration = .seconds(5), logger: Logger,
        status: @escaping @Sendable () -> [DemoConnectorStatus] = { [] }, report: @escaping @Sendable (String) -> Void = { _ in }
    ) {
        self.kafka = kafka
        self.status = status
        self.settings = settings
        self.summaryEvery = summaryEvery
        self.report = report
        self.logger = logger
    }

    /// What has been published so far.
    public var published: Published { counts.withLock { $0 } }

    public func run() async throws {
        let producer = try KafkaProducer(config: kafka, logger: logger) { [weak self] report in
            if report.error != nil { self?.counts.withLock { $0.failed += 1 } }
        }
        producer.startBackgroundPolling()
        defer { producer.close(flushTimeoutMs: 5_000) }
        var traffic = DemoTraffic(settings: settings, nowMs: EpochClock.nowMs())
        var token: UInt64 = 0
        for record in traffic.opening(nowMs: EpochClock.nowMs()) { publish(record, producer: producer, token: &token) }
        report("demo: publishing ~\(Int(settings.recordsPerSecond)) records/s from marketing, tickets, erp, im and telephony (plus the CRM customer changelog)")
        let clock = ContinuousClock()
        let started = clock.now
        var nextSummary = started + summaryEvery
        var sent = 0
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            let elapsed = Double((clock.now - started) / .milliseconds(1)) / 1000
            let due = Int(elapsed * settings.recordsPerSecond) - sent
            if due > 0 {
                for _ in 0..<min(due, 2_000) { publish(traffic.next(nowMs: EpochClock.nowMs()), producer: producer, token: &token) }
                sent += due
            }
            if clock.now >= nextSummary {
                nextSummary = clock.now + summaryEvery
                report(summary())
            }
            do {
                try await Task.sleep(for: .milliseconds(100))
            } catch {
                break
            }
        }
    }

    private func publish(_ record: DemoRecord, producer: KafkaProducer, token: inout UInt64) {
        token += 1
        do throws(KafkaError) {
            try producer.produce(record.output, token: token)
            counts.withLock { published in
                published.total += 1
                published.byShape[record.shape, default: 0] += 1
                if record.invalid { published.invalid += 1 }
                if record.late { published.late += 1 }
                if record.stranger { published.strangers += 1 }
            }
        } catch {
            counts.withLock { $0.failed += 1 }
            logger.debug("demo: could not enqueue a \(record.shape) record: \(error)")
        }
    }

    /// The live summary: one line for the generator, one per connector.
    public func summary() -> String {
        let published = self.published
        var lines = [
            "demo: published \(published.total) records · \(published.invalid) invalid · \(published.late) late · \(published.strangers) with strangers"
                + (published.failed > 0 ? " · \(published.failed) failed" : ""),
        ]
        for connector in status() {
            lines.append(
                "  " + Self.pad(connector.name, 10) + Self.left(String(format: "%.1f rec/s", connector.recordsPerSecond), 12)
                    + "  delivered " + Self.left(String(connector.delivered), 7) + "  rejected " + Self.left(String(connector.rejected), 5)
                    + "  delayed " + Self.left(String(connector.delayed), 5) + "  breaker " + connector.breaker
                    + (connector.state == "running" ? "" : "  (\(connector.state))"))
        }
        return lines.joined(separator: "\n")
    }

    /// Where to look next, printed when `syncline up --demo` exits.
    public static func farewell(adminURL: String?) -> String {
        var lines = ["", "Stopped. Where to look next:"]
        if let adminURL { lines.append("  status page        \(adminURL)/   (run `syncline up --demo` again to see it live)") }
        lines += [
            "  rejected records   syncline dlq list            (why each record went to its connector's DLQ)",
            "  delayed records    syncline latency samples     (the latest records over the 90 s SLO, with both timestamps)",
            "  per-channel health syncline latency report · syncline status",
        ]
        return lines.joined(separator: "\n")
    }

    static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
    }

    static func left(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : String(repeating: " ", count: width - text.count) + text
    }

}
