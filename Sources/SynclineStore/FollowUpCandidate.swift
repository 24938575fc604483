/// A customer with a lead or ticket in the report period, and when the hub last logged an
/// activity (call, chat, ticket) with them.
public struct FollowUpCandidate: Sendable, Equatable {
    public var customerID: String
    /// nil: no activity was ever logged.
    public var lastContactMs: Int64?
    public var lastContactKind: String?
    public var leads: Int
    public var tickets: Int
    /// The latest lead or ticket in the period.
    public var latestInterestMs: Int64

    public init(customerID: String, lastContactMs: Int64?, lastContactKind: String?, leads: Int, tickets: Int, latestInterestMs: Int64) {
        self.customerID = customerID
        self.lastContactMs = lastContactMs
        self.lastContactKind = lastContactKind
        self.leads = leads
        self.tickets = tickets
        self.latestInterestMs = latestInterestMs
    }
}
