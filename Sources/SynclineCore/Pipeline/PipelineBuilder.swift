/// Turns a connector declaration into its ordered stages, checking it against the topic catalog.
/// Connectors with field rules or conditions get decode → map → validate; a connector of plain routes
/// only passes records through (no decode, so non-JSON payloads are fine).
public enum PipelineBuilder {
    public static func build(_ spec: ConnectorSpec, catalog: TopicCatalog?) throws(ConfigProblems) -> RecordPipeline {
        guard spec.needsDecoding else {
            var stages: [any RecordStage] = [PayloadPresenceStage(spec: spec), HeaderTimeStage()]
            for route in spec.routes {
                stages.append(PassthroughRouteStage(route: route))
            }
            return RecordPipeline(stages: stages)
        }
        if let catalog {
            // The same checks as `syncline validate` (without samples): a connector with errors does not start.
            let errors = ConnectorLinter.lint(spec, catalog: catalog, samples: nil).filter { $0.severity == .error }
            if !errors.isEmpty { throw ConfigProblems(errors) }
        }
        var stages: [any RecordStage] = [DecodeStage(spec: spec), MapStage(spec: spec, catalog: catalog)]
        if let catalog {
            let passthrough = Set(spec.routes.filter(\.isPassthrough).map(\.name))
            stages.append(ValidateStage(connector: spec.name, catalog: catalog, passthroughRoutes: passthrough))
        }
        return RecordPipeline(stages: stages)
    }
}
