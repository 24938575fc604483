/// The validate stage: every canonical output (a mapped route's output to a topic with a schema) is
/// re-read from its produced bytes and checked against the topic schema from the catalog.
public struct ValidateStage: RecordStage {
    public let name = "validate"
    public let connector: String
    let validators: [String: SchemaValidator]
    let knownTopics: Set<String>
    /// Routes whose outputs pass unchanged and are not checked.
    let passthroughRoutes: Set<String>

    public init(connector: String, catalog: TopicCatalog, passthroughRoutes: Set<String> = []) {
        self.connector = connector
        var validators: [String: SchemaValidator] = [:]
        for topic in catalog.topics {
            if let schema = topic.schema { validators[topic.name] = SchemaValidator(topic: topic.name, fields: schema) }
        }
        self.validators = validators
        self.knownTopics = Set(catalog.topics.map(\.name))
        self.passthroughRoutes = passthroughRoutes
    }

    public func process(_ context: inout RecordContext) throws(Rejection) {
        for (index, output) in context.outputs.enumerated() {
            let route = index < context.routes.count ? context.routes[index] : nil
            if let route, passthroughRoutes.contains(route) { continue }
            let where_ = "connector \(connector)\(route.map { ", route \($0)" } ?? "")"
            guard knownTopics.contains(output.topic) else {
                throw Rejection(stage: .validate, code: ErrorCode.unknownTopic.rawValue,
                    message: "\(where_): output topic \(output.topic) is not in the topic catalog", rule: route)
            }
            guard let validator = validators[output.topic] else { continue }
            guard let bytes = output.value, case .object(let members)? = try? JSONParser.parse(bytes) else {
                throw Rejection(stage: .validate, code: ErrorCode.invalidOutput.rawValue,
                    message: "\(where_): output for \(output.topic) is not a JSON object", rule: route)
            }
            if let issue = validator.firstIssue(members) {
                throw Rejection(stage: .validate, code: issue.code.rawValue, field: issue.field,
                    message: "\(where_), field \(issue.field), topic \(output.topic): \(issue.reason)", rule: route)
            }
        }
    }
}
