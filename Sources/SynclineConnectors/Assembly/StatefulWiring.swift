import SynclineMapping

/// How a connector becomes runtime loops. A plain connector is one loop. A stateful one (`im`,
/// `telephony`) is two loops, each its own consumer group: `<name>-rekey` reads the raw topic and
/// copies every record to `hub.repartition.<name>.v1` keyed by thread / call; `<name>` reads that
/// topic, keeps the state (restored from `hub.state.<name>.v1` on assignment) and produces the
/// canonical records, alerts and state changes. Both report under their own connector name; only
/// the second times records (a delayed record is observed once).
public enum StatefulWiring {
    static func loops(_ spec: ConnectorSpec, _ parts: ProcessorParts) -> [(spec: ConnectorSpec, parts: ProcessorParts)] {
        guard let rekey = parts.rekey, let input = parts.statefulInput else { return [(spec, parts)] }
        var front = spec
        front.name = rekeyName(spec.name)
        front.routes = []
        // The internal hop is not timed: the stateful loop times each record end to end, once.
        front.observesLatency = false
        var stateful = spec
        stateful.inputTopics = [input]
        stateful.ingress = nil
        var statefulParts = parts
        statefulParts.rekey = nil
        statefulParts.statefulInput = nil
        return [(front, ProcessorParts(pipeline: rekey)), (stateful, statefulParts)]
    }

    /// The front loop's connector name: `<connector>-rekey`.
    public static func rekeyName(_ connector: String) -> String { "\(connector)-rekey" }
}
