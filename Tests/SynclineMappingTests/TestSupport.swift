import SynclineMapping
import SynclineTestSupport

/// Shared inline topics, connectors and helpers for the mapping tests (no files on disk needed).
enum TestSupport {
    static let leadsTopic = InlineProject.leadsTopic

    static let paymentsTopic = """
        name: crm.payments.v1
        partitions: 3
        key: payment_id
        schema:
          payment_id: {type: string, required: true}
          gross_amount: {type: decimal, scale: 2, required: true}
          fee: {type: decimal, scale: 2}
          fx_loss: {type: decimal, scale: 2}
          net_amount: {type: decimal, scale: 2, required: true}
          currency: {type: enum, values: [CNY, USD, EUR], required: true}
          received_at: {type: timestamp}
          voucher: {type: string}
          attempts: {type: int}
        """

    static func catalog() throws -> TopicCatalog {
        TopicCatalog(topics: [
            try TopicSpecParser.parse(leadsTopic, file: "topics/crm.leads.v1.yaml"),
            try TopicSpecParser.parse(paymentsTopic, file: "topics/crm.payments.v1.yaml"),
            TopicSpec(name: "raw.marketing.events.v1", partitions: 3),
            TopicSpec(name: "hub.audit.v1", partitions: 1),
        ])
    }

    static let marketing = InlineProject.marketing

    static let erp = """
        name: erp
        input:
          topics: [raw.erp.payments.v1]
        event_id: id
        source_timestamp: create_time
        routes:
          - name: paypal
            when: event_type in ['PAYMENT.CAPTURE.COMPLETED']
            topic: crm.payments.v1
            key: payment_id
            fields:
              payment_id: resource.id
              gross_amount: resource.amount.value
              fee: {expr: "coalesce(resource.paypal_fee, 0)"}
              fx_loss: {expr: "coalesce(resource.fx_loss, 0)"}
              net_amount: {expr: "resource.amount.value - coalesce(resource.paypal_fee, 0) - coalesce(resource.fx_loss, 0)"}
              currency: {from: resource.amount.currency_code, map: {RMB: CNY}}
              received_at: create_time
              voucher: {expr: "concat('PP-', upper(resource.id))"}
        """

    static func spec(_ text: String, file: String = "connectors/test.yaml") throws -> ConnectorSpec {
        try ConnectorSpecParser.parse(text, file: file)
    }

    static func record(_ json: String, headers: [RecordHeader] = [], offset: Int64 = 0) -> InputRecord {
        InputRecord(topic: "raw.marketing.events.v1", partition: 0, offset: offset, key: Array("k".utf8), value: Array(json.utf8), headers: headers)
    }

    static func text(_ bytes: [UInt8]?) -> String {
        bytes.map { String(decoding: $0, as: UTF8.self) } ?? "<nil>"
    }

    static func json(_ text: String) throws -> JSONValue {
        try JSONParser.parse(Array(text.utf8))
    }
}
