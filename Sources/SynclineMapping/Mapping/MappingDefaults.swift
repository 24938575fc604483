/// Connector-wide defaults for field rules (`defaults:` in the connector file).
public struct MappingDefaults: Sendable, Equatable {
    /// Region for phone numbers written without a country code (ISO 3166 alpha-2).
    public var phoneRegion: String
    /// Zone for local date-times written without an offset (`UTC`, `+08:00`, `Asia/Shanghai`).
    public var timezone: String

    /// The region a connector gets when its file names none (`defaults.phone_region`, documented in
    /// connectors/README.md);
    /// every other default region in the code refers to this one.
    public static let standardPhoneRegion = "CN"

    public init(phoneRegion: String = MappingDefaults.standardPhoneRegion, timezone: String = "UTC") {
        self.phoneRegion = phoneRegion
        self.timezone = timezone
    }
}
