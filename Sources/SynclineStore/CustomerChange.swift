/// One change read from `crm.customers.v1`: a customer's full current state, or a tombstone.
public enum CustomerChange: Sendable, Equatable {
    /// The customer's current state replaces whatever the index held for it.
    case upsert(CustomerIdentity)
    /// A tombstone (null value): the customer and its identifiers are removed.
    case remove(customerID: String)
}
