/// Topic names the hub itself relies on (SPEC §3). Connector-specific names are built here too,
/// so the naming rule `hub.<purpose>[.<connector>].v<N>` lives in one place.
public enum TopicNames {
    public static let customers = "crm.customers.v1"
    public static let leads = "crm.leads.v1"
    public static let customerUpdates = "crm.customer_updates.v1"
    public static let activities = "crm.activities.v1"
    public static let orders = "crm.orders.v1"
    public static let payments = "crm.payments.v1"
    /// Receipts as finance booked them (the finance connector), keyed by receipt_id.
    public static let financeReceipts = "crm.finance_receipts.v1"
    /// Lead-assignment decisions (the `assignment` processor), keyed by lead_id.
    public static let leadAssignments = "crm.lead_assignments.v1"
    public static let alerts = "hub.alerts.v1"
    public static let latency = "hub.latency.v1"

    public static let rawMarketing = "raw.marketing.events.v1"
    public static let rawTickets = "raw.tickets.events.v1"
    public static let rawERPOrders = "raw.erp.orders.v1"
    public static let rawERPPayments = "raw.erp.payments.v1"
    public static let rawIM = "raw.im.messages.v1"
    public static let rawTelephony = "raw.telephony.calls.v1"
    public static let rawFinanceReceipts = "raw.finance.receipts.v1"

    /// The default DLQ topic of a connector: `hub.dlq.<connector>.v1`.
    public static func dlq(connector: String) -> String { "hub.dlq.\(connector).v1" }

    /// A stateful connector's changelog (compacted, keyed by state key): `hub.state.<connector>.v1`.
    public static func state(connector: String) -> String { statePrefix + connector + stateSuffix }
    private static let statePrefix = "hub.state.", stateSuffix = ".v1"

    /// Where a connector re-keys its input by the state's key: `hub.repartition.<connector>.v1`.
    public static func repartition(connector: String) -> String { "hub.repartition.\(connector).v1" }

    /// The connector whose changelog `topic` is (`hub.state.<connector>.v1`), or nil for another topic.
    public static func connector(ofState topic: String) -> String? {
        guard topic.hasPrefix(statePrefix), topic.hasSuffix(stateSuffix), topic.count > statePrefix.count + stateSuffix.count else { return nil }
        return String(topic.dropFirst(statePrefix.count).dropLast(stateSuffix.count))
    }

    /// True for a hub-internal repartition topic (its records carry the raw record's lineage).
    public static func isRepartition(_ topic: String) -> Bool { topic.hasPrefix("hub.repartition.") }
}
