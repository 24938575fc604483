import SynclineConnectors
import SynclineStore
import Testing

@Suite("crm.customers.v1 records → identity changes")
struct IdentityChangeParserTests {
    let parser = CustomerChangeParser()

    @Test("identifiers are normalised; a tombstone removes by key; a merged customer keeps none")
    func parse() {
        let value = #"{"customer_id":"C1","name":"韩梅梅","phones":["138 0013 8000","bad"],"emails":["Han@Example.COM"],"wecom_external_ids":["wmA"],"dingtalk_ids":["dt1"],"external_ids":["helpdesk:Z-1"],"owner":"zhangsan","updated_at":"2024-05-01T00:00:00Z"}"#
        guard case .upsert(let customer)? = parser.parse(key: Array("C1".utf8), value: Array(value.utf8)) else {
            Issue.record("not an upsert")
            return
        }
        #expect(customer.owner == "zhangsan")
        #expect(Set(customer.identifiers) == [
            .init(.phone, "+8613800138000"), .init(.email, "han@example.com"), .init(.wecomExternalID, "wmA"),
            .init(.dingtalkID, "dt1"), .init(.externalID, "helpdesk:Z-1"),
        ])
        #expect(parser.parse(key: Array("C1".utf8), value: nil) == .remove(customerID: "C1"))
        let merged = #"{"customer_id":"C2","status":"merged","merged_into":"C1","phones":["13800138000"],"updated_at":"2024-05-01T00:00:00Z"}"#
        guard case .upsert(let gone)? = parser.parse(key: nil, value: Array(merged.utf8)) else {
            Issue.record("not an upsert")
            return
        }
        #expect(gone.identifiers.isEmpty)
        #expect(parser.parse(key: nil, value: Array("not json".utf8)) == nil)
    }
}
