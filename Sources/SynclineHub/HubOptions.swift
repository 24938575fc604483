public import Foundation
public import SynclineAdmin

/// Everything `buildApplication` needs: where the declarations are, which Kafka to use, where state lives.
public struct HubOptions: Sendable {
    /// Bootstrap servers of a real cluster; nil starts the embedded cluster.
    public var brokers: String?
    /// Brokers of the embedded cluster.
    public var embeddedBrokers: Int
    public var topicsDirectory: URL
    public var connectorsDirectory: URL
    public var stateDirectory: URL
    /// Extra librdkafka properties (security settings …) for every client.
    public var kafkaProperties: [String: String]
    /// Consumer group prefix: each connector's group is `<prefix>.<connector>`.
    public var groupPrefix: String
    /// The admin server (nil: no admin server).
    public var admin: AdminServer.Settings?
    /// The webhook listener (`--ingress`; nil: connectors' `ingress:` blocks are not served).
    public var ingress: ListenAddress?
    /// How long the ledger keeps rows.
    public var ledgerRetentionMs: Int64

    public init(
        brokers: String? = nil, embeddedBrokers: Int = 3, topicsDirectory: URL, connectorsDirectory: URL,
        stateDirectory: URL, kafkaProperties: [String: String] = [:], groupPrefix: String = "syncline",
        admin: AdminServer.Settings? = AdminServer.Settings(), ledgerRetentionMs: Int64 = 7 * 86_400_000,
        ingress: ListenAddress? = nil
    ) {
        self.admin = admin
        self.ingress = ingress
        self.ledgerRetentionMs = ledgerRetentionMs
        self.brokers = brokers
        self.embeddedBrokers = embeddedBrokers
        self.topicsDirectory = topicsDirectory
        self.connectorsDirectory = connectorsDirectory
        self.stateDirectory = stateDirectory
        self.kafkaProperties = kafkaProperties
        self.groupPrefix = groupPrefix
    }

    /// Options rooted at a project directory holding `topics/` and `connectors/`.
    public init(root: URL, stateDirectory: URL? = nil, brokers: String? = nil) {
        self.init(
            brokers: brokers, topicsDirectory: root.appendingPathComponent("topics"),
            connectorsDirectory: root.appendingPathComponent("connectors"),
            stateDirectory: stateDirectory ?? root.appendingPathComponent(".syncline"))
    }
}
