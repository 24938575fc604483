import Foundation
import Logging
import SynclineMapping
import SynclineKafka
import SynclineStore

/// Finds the raw record(s) `syncline trace` starts from, and which topics can hold what was made from them.
struct TraceOrigins {
    let catalog: TopicCatalog
    let specs: [ConnectorSpec]
    let config: KafkaConfig
    let logger: Logger
    let sinceMs: Int64

    /// The latest records with this key in `topic`, reading only the partitions the key maps to.
    func byKey(_ key: [UInt8], topic: String, limit: Int) async throws -> [InputRecord] {
        let partitions = try await ToolKafka.partitionCount(topic: topic, catalog: catalog, config: config, logger: logger)
        let candidates = KafkaPartitioner.candidates(key: key, partitions: partitions)
        let records = try await ToolKafka.readSince(topic: topic, partitions: candidates, sinceMs: sinceMs, config: config, logger: logger)
        let matching = records.filter { $0.key == key }.sorted { ($0.timestampMs ?? 0, $0.offset) < ($1.timestampMs ?? 0, $1.offset) }
        return Array(matching.suffix(limit))
    }

    /// The raw record(s) of an upstream event: the ledger's DLQ index and delayed samples name
    /// rejected and late ones (by the input they came from: the raw topic, or for a stateful connector
    /// its repartition topic); otherwise
    /// any canonical output or DLQ record whose `ce_id` is the id names its input by its lineage
    /// (through the repartition topic for a stateful connector).
    func byEventID(_ eventID: String, ledger: Ledger?) async throws -> [InputRecord] {
        var coordinates: [(topic: String, partition: Int32, offset: Int64)] = []
        for entry in try ledger?.deadLetters(connector: nil, code: nil, limit: 100_000) ?? [] where entry.eventID == eventID {
            coordinates.append((entry.sourceTopic, Int32(entry.sourcePartition), entry.sourceOffset))
        }
        for sample in try ledger?.latestDelayedSamples(connector: nil, limit: 100_000) ?? [] where sample.eventID == eventID {
            coordinates.append((sample.sourceTopic, Int32(sample.sourcePartition), sample.sourceOffset))
        }
        if coordinates.isEmpty {
            var scanned = Set<String>()
            for spec in specs {
                for topic in spec.routes.map(\.topic) + [spec.dlqTopic] where scanned.insert(topic).inserted {
                    guard let partitions = catalog[topic]?.partitions else { continue }
                    let records = try await ToolKafka.readSince(
                        topic: topic, partitions: (0..<Int32(partitions)).map { $0 }, sinceMs: sinceMs, config: config, logger: logger)
                    for record in records where record.headers.last(named: HeaderNames.ceID)?.text == eventID {
                        if let source = Self.source(of: record) { coordinates.append(source) }
                    }
                }
            }
        }
        var origins: [InputRecord] = []
        var seen = Set<String>()
        for var place in coordinates {
            // A stateful connector's output names its repartition record, which names the raw one.
            for _ in 0..<2 {
                guard let record = try? await ToolKafka.record(topic: place.topic, partition: place.partition, offset: place.offset, config: config, logger: logger)
                else { break }
                if TopicNames.isRepartition(record.topic), let earlier = Self.source(of: record) {
                    place = earlier
                    continue
                }
                if seen.insert(record.coordinates).inserted { origins.append(record) }
                break
            }
        }
        return origins
    }

    /// Every topic a record of these raw topics can lead to: the outputs, DLQ and latency topics of
    /// the connectors reading them, their repartition and changelog topics, and the alerts.
    func downstreamTopics(of topics: Set<String>) -> [String] {
        var result: [String] = []
        for spec in specs where !Set(spec.inputTopics).isDisjoint(with: topics) {
            result += spec.outputTopics
            result += spec.processorOutputTopics
        }
        result.append(TopicNames.alerts)
        var seen = Set<String>()
        return result.filter { seen.insert($0).inserted && catalog[$0] != nil }
    }

    static func source(of record: InputRecord) -> (topic: String, partition: Int32, offset: Int64)? {
        guard let topic = record.headers.last(named: HeaderNames.sourceTopic)?.text,
            let partition = record.headers.last(named: HeaderNames.sourcePartition)?.text.flatMap({ Int32($0) }),
            let offset = record.headers.last(named: HeaderNames.sourceOffset)?.text.flatMap({ Int64($0) })
        else { return nil }
        return (topic, partition, offset)
    }
}
