/// A plain `route`: every record goes to the route's topic unchanged (key, value and upstream
/// headers kept; the runtime adds lineage headers when producing).
public struct PassthroughRouteStage: RecordStage {
    public let name = "route"
    public let route: RouteSpec

    public init(route: RouteSpec) {
        self.route = route
    }

    public func process(_ context: inout RecordContext) throws(Rejection) {
        let input = context.input
        context.outputs.append(OutputRecord(topic: route.topic, key: input.key, value: input.value, headers: input.headers))
        context.routes.append(route.name)
    }
}
