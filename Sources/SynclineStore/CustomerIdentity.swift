/// One customer as the identity index keeps it: who owns it and every identifier that links to it
/// (already normalised: phones in E.164, emails lower-cased).
public struct CustomerIdentity: Sendable, Equatable {
    public var customerID: String
    public var name: String?
    /// Staff id of the owning sales rep (`owner`), and the owner's display name.
    public var owner: String?
    public var ownerName: String?
    /// When this version was written by the CRM (ms since the epoch), when known.
    public var updatedMs: Int64?
    public var identifiers: [Identifier]

    /// One identifier of a customer.
    public struct Identifier: Sendable, Hashable {
        public var kind: IdentifierKind
        public var value: String

        public init(_ kind: IdentifierKind, _ value: String) {
            self.kind = kind
            self.value = value
        }
    }

    public init(
        customerID: String, name: String? = nil, owner: String? = nil, ownerName: String? = nil, updatedMs: Int64? = nil,
        identifiers: [Identifier] = []
    ) {
        self.customerID = customerID
        self.name = name
        self.owner = owner
        self.ownerName = ownerName
        self.updatedMs = updatedMs
        self.identifiers = identifiers
    }
}
