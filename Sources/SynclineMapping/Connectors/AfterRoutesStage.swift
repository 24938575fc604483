/// A stage the hub adds after a connector's declared routes because the connector file asks for it
/// (`after_routes: [follow_up, complaint_alert]`), rather than because an output topic's name
/// matched: what runs is read in the file. The stages themselves live in SynclineConnectors.
public enum AfterRoutesStage: String, Sendable, CaseIterable {
    /// Hands each lead (`crm.leads.v1`) and ticket activity (`crm.activities.v1`) to the weekly
    /// follow-up report, linked to a customer off the hot path.
    case followUp = "follow_up"
    /// Raises one `customer_complained` alert on `hub.alerts.v1` per open complaint patch written
    /// to `crm.customer_updates.v1`.
    case complaintAlert = "complaint_alert"

    /// The topics whose outputs the stage looks at (a stage declared on a connector writing none of
    /// them sees nothing; the linter warns).
    public var watchedTopics: [String] {
        switch self {
        case .followUp: [TopicNames.leads, TopicNames.activities]
        case .complaintAlert: [TopicNames.customerUpdates]
        }
    }
}
