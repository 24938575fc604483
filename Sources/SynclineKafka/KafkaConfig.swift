/// librdkafka configuration properties (CONFIGURATION.md names), with the defaults Syncline needs:
/// Nagle off (the 2.0.2 default stalls flushes ~40 ms), and security settings passed through untouched.
public struct KafkaConfig: Sendable, Equatable {
    public private(set) var properties: [String: String]

    public init(bootstrapServers: String, properties: [String: String] = [:]) {
        var base: [String: String] = [
            "bootstrap.servers": bootstrapServers,
            "socket.nagle.disable": "true",
            "client.id": "syncline",
        ]
        base.merge(properties) { _, new in new }
        self.properties = base
    }

    public var bootstrapServers: String { properties["bootstrap.servers"] ?? "" }

    public subscript(key: String) -> String? {
        get { properties[key] }
        set { properties[key] = newValue }
    }

    /// A copy with more properties (later ones win).
    public func with(_ extra: [String: String]) -> KafkaConfig {
        var copy = self
        copy.properties.merge(extra) { _, new in new }
        return copy
    }

    /// Kafka client settings from the environment: every `SYNCLINE_KAFKA_<NAME>` variable becomes
    /// property `<name>` with `_` read as `.` (e.g. `SYNCLINE_KAFKA_SECURITY_PROTOCOL=SASL_SSL`).
    public static func environmentProperties(_ environment: [String: String]) -> [String: String] {
        var result: [String: String] = [:]
        for (key, value) in environment where key.hasPrefix("SYNCLINE_KAFKA_") {
            let name = key.dropFirst("SYNCLINE_KAFKA_".count).lowercased().replacingOccurrences(of: "_", with: ".")
            result[name] = value
        }
        return result
    }
}
