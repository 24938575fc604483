public import SynclineMapping
public import SynclineStore

/// Reads one `crm.customers.v1` record into a `CustomerChange`: a null value is a tombstone for the
/// key; otherwise the customer's identifiers are normalised (phones to E.164 — unparseable ones
/// are skipped — emails lower-cased). A customer with status `merged` keeps no identifiers (they
/// now belong to `merged_into`, whose own record lists them).
public struct CustomerChangeParser: Sendable {
    let phones: PhoneNormalizer?

    public init(phoneRegion: String = MappingDefaults.standardPhoneRegion) {
        phones = PhoneNormalizer(defaultRegion: phoneRegion)
    }

    /// nil when the record is neither a customer nor a tombstone with a key (it is skipped).
    public func parse(key: [UInt8]?, value: [UInt8]?) -> CustomerChange? {
        let keyText = key.flatMap { String(validating: $0, as: UTF8.self) }
        guard let value else { return keyText.map { .remove(customerID: $0) } }
        guard let document = try? JSONParser.parse(value), let id = document["customer_id"].flatMap(FieldConversion.scalarText) ?? keyText,
            !id.isEmpty
        else { return nil }
        func texts(_ name: String) -> [String] {
            switch document[name] {
            case .array(let items)?: return items.compactMap(FieldConversion.scalarText).filter { !$0.isEmpty }
            case let value?: return FieldConversion.scalarText(value).map { [$0] } ?? []
            case nil: return []
            }
        }
        func text(_ name: String) -> String? { document[name].flatMap(FieldConversion.scalarText) }
        var identifiers: [CustomerIdentity.Identifier] = []
        if text("status") != "merged" {
            for phone in texts("phones") + texts("phone") {
                if let normalised = try? phones?.normalize(phone) { identifiers.append(.init(.phone, normalised)) }
            }
            identifiers += (texts("emails") + texts("email")).map { .init(.email, $0.lowercased()) }
            identifiers += texts("wecom_external_ids").map { .init(.wecomExternalID, $0) }
            identifiers += texts("dingtalk_ids").map { .init(.dingtalkID, $0) }
            identifiers += texts("external_ids").map { .init(.externalID, $0) }
        }
        let updated = text("updated_at").flatMap { try? TimestampParser.utc.milliseconds($0) }
        return .upsert(CustomerIdentity(
            customerID: id, name: text("name"), owner: text("owner"), ownerName: text("owner_name"), updatedMs: updated,
            identifiers: identifiers))
    }
}
