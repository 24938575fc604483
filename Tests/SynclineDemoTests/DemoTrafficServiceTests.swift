import Logging
import SynclineDemo
import SynclineKafka
import Testing

/// The demo's live summary, from the connector lines whoever runs it hands over (no Kafka: the
/// service is not run).
@Suite("Demo traffic service: the live summary")
struct DemoTrafficServiceTests {
    @Test("one line for the generator, then one per connector with its figures; a connector not running says so")
    func summaryLines() {
        let connectors = [
            DemoConnectorStatus(
                name: "marketing", state: "running", breaker: "closed", recordsPerSecond: 12.5, delivered: 120, rejected: 3, delayed: 2),
            DemoConnectorStatus(
                name: "telephony", state: "paused", breaker: "open", recordsPerSecond: 0, delivered: 7, rejected: 0, delayed: 0),
        ]
        let service = DemoTrafficService(
            kafka: KafkaConfig(bootstrapServers: "127.0.0.1:1"), logger: Logger(label: "test"), status: { connectors })
        let lines = service.summary().split(separator: "\n").map(String.init)
        #expect(lines == [
            "demo: published 0 records · 0 invalid · 0 late · 0 with strangers",
            "  marketing   12.5 rec/s  delivered     120  rejected     3  delayed     2  breaker closed",
            "  telephony    0.0 rec/s  delivered       7  rejected     0  delayed     0  breaker open  (paused)",
        ])
    }
}
