/// The inline topic and connector texts several test targets run against (no files on disk), kept
/// once here so the mapping and tooling tests cannot drift apart.
public enum InlineProject {
    public static let leadsTopic = """
        name: crm.leads.v1
        partitions: 3
        key: lead_id
        schema:
          lead_id: {type: string, required: true}
          source: {type: enum, required: true, values: [web, ads, event]}
          name: {type: string, max_length: 20}
          phone: {type: phone}
          email: {type: email}
          city: {type: string}
          industry: {type: enum, values: [education, finance, retail, other]}
          customer_level: {type: enum, values: [A, B, C]}
          submitted_at: {type: timestamp, required: true}
          budget: {type: decimal, scale: 2}
          subscribed: {type: bool}
          extra: {type: object}
        """

    public static let marketing = """
        name: marketing
        version: "7"
        input:
          topics: [raw.marketing.events.v1]
          format: json
        event_id: event_id
        source_timestamp: occurred_at
        defaults:
          phone_region: CN
          timezone: "+08:00"
        routes:
          - name: leads
            when: event_type == 'form_submit' and fields != null
            topic: crm.leads.v1
            key: lead_id
            fields:
              lead_id: event_id
              source:
                from: utm.source
                default: web
                map: {baidu: ads, wechat: ads, web: web, expo: event}
              name: fields.姓名
              phone: [fields.手机, fields.电话]
              email: fields.邮箱
              city: fields.所在城市
              customer_level:
                from: fields.客户_等级_v2
                map: {高: A, 中: B, 低: C}
              submitted_at: occurred_at
              budget: fields.预算
              subscribed: {from: fields.订阅, default: false}
            extra: fields
          - name: audit
            when: event_type == 'page_view'
            topic: hub.audit.v1
        """
}
