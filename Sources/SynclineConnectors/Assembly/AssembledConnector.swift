public import SynclineMapping

/// One connector as `ConnectorAssembly` built it: its parts (pipeline, emitters, and for a
/// processor whose state follows its partitions the restorer and the re-keying front loop), and
/// the runtime loops they make.
public struct AssembledConnector: Sendable {
    public let spec: ConnectorSpec
    public var parts: ProcessorParts

    public init(spec: ConnectorSpec, parts: ProcessorParts) {
        self.spec = spec
        self.parts = parts
    }

    public var pipeline: RecordPipeline { parts.pipeline }

    /// The loops to run, each with the connector spec it runs under: one, or — for a stateful
    /// processor given Kafka — `<name>-rekey` then `<name>` (see `StatefulWiring`).
    public var loops: [(spec: ConnectorSpec, parts: ProcessorParts)] { StatefulWiring.loops(spec, parts) }
}
