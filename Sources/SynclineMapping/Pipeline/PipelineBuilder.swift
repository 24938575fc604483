/// Turns a connector declaration into its ordered stages, checking it against the topic catalog.
/// Connectors with field rules or conditions get decode → map → validate — compiled into one
/// byte-level stage where the routes allow (`CompiledRecordStage`), interpreted otherwise; a
/// connector of plain routes only passes records through (no decode, so non-JSON payloads are fine),
/// but a `format: json` one still refuses values that are not JSON (`JSONValidateStage`).
public enum PipelineBuilder {
    /// How mapped routes run.
    public enum Mode: Sendable {
        /// The compiled record path where routes compile (production).
        case compiled
        /// The interpreter only (`map`, `test`, and the reference for the compiled path).
        case interpreted
    }

    public static func build(
        _ spec: ConnectorSpec, catalog: TopicCatalog?, mode: Mode = .compiled,
        selfCheckEvery: Int = CompiledRecordStage.defaultSelfCheckEvery
    ) throws(ConfigProblems) -> RecordPipeline {
        guard spec.needsDecoding else {
            // Null and empty values first (payload_missing, or forwarded tombstones), then — for json —
            // the byte-level validity check. A processor decodes its own payloads (telephony takes form bodies too).
            var stages: [any RecordStage] = [PayloadPresenceStage(spec: spec)]
            if spec.format == .json, spec.processor == nil { stages.append(JSONValidateStage(connector: spec.name)) }
            stages.append(HeaderTimeStage())
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
        if mode == .compiled, let stage = CompiledRecordStage.make(spec, catalog: catalog, selfCheckEvery: selfCheckEvery).stage {
            return RecordPipeline(stages: [stage])
        }
        var stages: [any RecordStage] = [DecodeStage(spec: spec), MapStage(spec: spec, catalog: catalog)]
        if let catalog {
            let passthrough = Set(spec.routes.filter(\.isPassthrough).map(\.name))
            stages.append(ValidateStage(connector: spec.name, catalog: catalog, passthroughRoutes: passthrough))
        }
        return RecordPipeline(stages: stages)
    }
}
