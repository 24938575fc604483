import SynclineMapping

/// One customer of the demo CRM, with every identifier the upstream systems know them by.
public struct DemoCustomer: Sendable, Equatable {
    public var customerID: String
    public var name: String
    public var company: String
    /// The 11-digit Chinese mobile number (without +86).
    public var mobile: String
    public var email: String
    public var wecomExternalID: String
    public var dingtalkID: String
    public var helpdeskID: String
    public var customerCode: String
    public var owner: DemoStaff
    public var level: String
    public var industry: String
    public var city: String
    public var createdMs: Int64

    /// The mobile number in E.164.
    public var e164: String { "+86" + mobile }

    /// The CRM changelog record (crm.customers.v1): the customer's full current state.
    func changelog(updatedMs: Int64, complained: Bool) -> [UInt8] {
        JSONWriter.bytes(orderedObject: [
            ("customer_id", .string(customerID)), ("name", .string(name)), ("company", .string(company)),
            ("phones", .array([.string(e164)])), ("emails", .array([.string(email)])),
            ("wecom_external_ids", .array([.string(wecomExternalID)])), ("dingtalk_ids", .array([.string(dingtalkID)])),
            ("external_ids", .array([.string("helpdesk:\(helpdeskID)")])), ("customer_code", .string(customerCode)),
            ("owner", .string(owner.login)), ("owner_name", .string(owner.name)), ("level", .string(level)),
            ("industry", .string(industry)), ("city", .string(city)), ("status", .string("active")),
            ("complained", .bool(complained)), ("created_at", .string(DemoTime.utc(createdMs))),
            ("updated_at", .string(DemoTime.utc(updatedMs))),
        ])
    }
}

/// A member of staff: sales rep, support agent, or both, with their ids in each upstream system.
public struct DemoStaff: Sendable, Equatable {
    public var login: String
    public var name: String
    /// WeCom userid (never starts with `wo`/`wm`, which mark external contacts).
    public var wecomID: String
    public var dingtalkStaffID: String
    /// Desk-phone extension on the Asterisk PBX.
    public var phoneExtension: String
    /// The agent's Twilio number (E.164).
    public var twilioNumber: String
    /// Help-desk agent id.
    public var agentID: String
}
