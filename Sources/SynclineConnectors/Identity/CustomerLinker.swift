public import Logging
public import SynclineStore
public import SynclineMapping

/// Links a party to a customer through the identity index, trying identifiers in the order given
/// and normalising phones to E.164 first. A failing index read is logged and counts as "not
/// linked" (the activity still flows; the next emission of the activity tries again).
public struct CustomerLinker: Sendable {
    public let index: IdentityIndex
    public let phones: PhoneNormalizer?
    let logger: Logger

    public init(index: IdentityIndex, phoneRegion: String = MappingDefaults.standardPhoneRegion, logger: Logger = Logger(label: "syncline.identity")) {
        self.index = index
        self.phones = PhoneNormalizer(defaultRegion: phoneRegion)
        self.logger = logger
    }

    /// The first identifier that links, with the kind that did it.
    public func link(_ identifiers: [CustomerIdentity.Identifier]) -> IdentityMatch? {
        let normalised = identifiers.compactMap { identifier -> CustomerIdentity.Identifier? in
            switch identifier.kind {
            case .phone: return normalisedPhone(identifier.value).map { CustomerIdentity.Identifier(.phone, $0) }
            case .email: return CustomerIdentity.Identifier(.email, identifier.value.lowercased())
            default: return identifier.value.isEmpty ? nil : identifier
            }
        }
        do {
            return try index.link(normalised)
        } catch {
            logger.error("identity index lookup failed; treating as not linked: \(error)")
            return nil
        }
    }

    /// The phone in E.164, or nil when it cannot be normalised.
    public func normalisedPhone(_ text: String) -> String? {
        guard !text.isEmpty, let phones else { return nil }
        return try? phones.normalize(text)
    }
}
