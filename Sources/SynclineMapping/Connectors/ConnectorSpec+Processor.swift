extension ConnectorSpec {
    /// Processors whose connector runs as two loops, a re-keying one (`<name>-rekey`, reading the
    /// raw topic) and a stateful one with its state in `hub.state.<name>.v1` (see `StatefulWiring`).
    /// The processors themselves are registered in SynclineConnectors' `ProcessorRegistry`, which
    /// this module cannot see; this and `processorOutputTopics` repeat the two facts of it that the
    /// lineage and trace tools need without building a connector, and a test keeps them equal.
    public static let statefulProcessors: Set<String> = ["im", "telephony"]

    /// Whether the connector keeps state that follows its partitions (two loops, a changelog).
    public var isStateful: Bool { processor.map(Self.statefulProcessors.contains) ?? false }

    /// Topics a code processor writes besides the declared routes, for the tools that draw or
    /// follow a connector without building it (lineage, trace).
    public var processorOutputTopics: [String] {
        switch processor {
        case "assignment"?: [TopicNames.leadAssignments]
        case "im"?, "telephony"?: [TopicNames.repartition(connector: name), TopicNames.state(connector: name), TopicNames.alerts]
        default: []
        }
    }
}
