public import GRDB

/// A connector mapping as deployed: its version, file and full content, and when it was deployed.
public struct MappingVersion: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "mapping_versions"

    public var connector: String
    public var version: String
    public var file: String
    public var content: String
    public var firstDeployedMs: Int64
    public var lastDeployedMs: Int64

    enum CodingKeys: String, CodingKey {
        case connector, version, file, content
        case firstDeployedMs = "first_deployed_ms"
        case lastDeployedMs = "last_deployed_ms"
    }
}
