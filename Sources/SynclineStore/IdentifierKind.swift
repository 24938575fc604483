/// The kinds of identifier the identity index maps to a customer; the raw values are the
/// `linked_by` values of `crm.activities.v1`.
public enum IdentifierKind: String, Sendable, CaseIterable, Codable {
    /// A phone number in E.164.
    case phone
    /// A lower-cased email address.
    case email
    /// A WeCom external user id (`external_userid`).
    case wecomExternalID = "wecom_external_id"
    /// A DingTalk user id or unionId.
    case dingtalkID = "dingtalk_id"
    /// Another upstream's id written `<system>:<id>`.
    case externalID = "external_id"
}
