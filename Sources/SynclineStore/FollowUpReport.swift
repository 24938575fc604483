/// The weekly follow-up list: per owner, the customers with a lead or ticket in the period who
/// have gone longest without a logged activity (never contacted first), at most `perOwner` each.
/// Owners come from the identity index; customers the index does not know (or without an owner)
/// are listed under the owner `(none)`.
public struct FollowUpReport: Sendable, Equatable {
    /// One owner's list.
    public struct Owner: Sendable, Equatable {
        public var owner: String
        public var ownerName: String?
        public var customers: [Entry]
    }

    /// One customer on an owner's list.
    public struct Entry: Sendable, Equatable {
        public var customerID: String
        public var name: String?
        public var lastContactMs: Int64?
        public var lastContactKind: String?
        public var leads: Int
        public var tickets: Int
        /// Milliseconds since the last contact at report time (nil: never contacted).
        public var sinceContactMs: Int64?
    }

    public var sinceMs: Int64
    public var generatedMs: Int64
    public var owners: [Owner]

    public static let noOwner = "(none)"

    public static func build(
        activities: ActivityStore, identity: IdentityIndex, sinceMs: Int64, nowMs: Int64, perOwner: Int = 5
    ) throws -> FollowUpReport {
        let candidates = try activities.followUpCandidates(sinceMs: sinceMs)
        let owners = try identity.owners(of: candidates.map(\.customerID))
        var grouped: [String: [Entry]] = [:]
        var ownerNames: [String: String] = [:]
        for candidate in candidates {
            let known = owners[candidate.customerID]
            let owner = known?.owner ?? noOwner
            if let name = known?.ownerName { ownerNames[owner] = name }
            grouped[owner, default: []].append(Entry(
                customerID: candidate.customerID, name: known?.name ?? nil, lastContactMs: candidate.lastContactMs,
                lastContactKind: candidate.lastContactKind, leads: candidate.leads, tickets: candidate.tickets,
                sinceContactMs: candidate.lastContactMs.map { max(0, nowMs - $0) }))
        }
        let result = grouped.keys.sorted().map { owner in
            let ranked = (grouped[owner] ?? []).sorted { a, b in
                switch (a.lastContactMs, b.lastContactMs) {
                case (nil, nil): return a.customerID < b.customerID
                case (nil, _): return true
                case (_, nil): return false
                case let (x?, y?): return x != y ? x < y : a.customerID < b.customerID
                }
            }
            return Owner(owner: owner, ownerName: ownerNames[owner], customers: Array(ranked.prefix(perOwner)))
        }
        return FollowUpReport(sinceMs: sinceMs, generatedMs: nowMs, owners: result)
    }
}
