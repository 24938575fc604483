/// The customer an identifier linked to, and which identifier did it.
public struct IdentityMatch: Sendable, Equatable {
    public var customerID: String
    public var linkedBy: IdentifierKind

    public init(customerID: String, linkedBy: IdentifierKind) {
        self.customerID = customerID
        self.linkedBy = linkedBy
    }
}
