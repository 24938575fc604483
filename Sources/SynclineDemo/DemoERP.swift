import SynclineMapping

/// ERP sales-order documents (`raw.erp.orders.v1`) and payment events (`raw.erp.payments.v1`):
/// PayPal `PAYMENT.CAPTURE.COMPLETED` webhooks and bank receipt callbacks, with exact cents
/// (shapes of `connectors/samples/erp/`).
struct DemoERP: Sendable {
    static let products: [(sku: String, name: String, cents: Int64)] = [
        ("CRS-PY-101", "Python 入门", 129_900), ("CRS-JV-201", "Java 全栈", 399_900), ("CRS-AI-301", "AI 大模型应用", 599_900),
        ("BK-PY-01", "教材", 4_550), ("SV-MT-01", "一对一辅导（课时）", 30_000),
    ]
    static let statuses = ["已确认", "已付款", "已发货", "已完成", "CONFIRMED", "PAID"]
    private var orderSequence = 120
    private var recentOrders: [(number: String, code: String, cents: Int64)] = []

    mutating func order(nowMs: Int64, sourceMs: Int64, invalid: Bool, people: DemoPeople, random: inout DemoRandom) -> DemoRecord {
        orderSequence += 1
        let number = "SO-2024-\(String(100_000 + orderSequence).dropFirst())"
        let customer = random.pick(people.customers)
        let failure = invalid ? random.int(0...2) : -1
        var lines: [JSONValue] = []
        var subtotal: Int64 = 0
        for lineNo in 1...random.int(1...3) {
            let product = random.pick(Self.products)
            let qty = Int64(random.int(1...4))
            var amount = product.cents * qty
            subtotal += amount
            if failure == 0 && lineNo == 1 { amount += 100_000 }  // the line total does not match qty × price
            lines.append(.object([
                "line_no": .number(String(lineNo)), "sku": .string(product.sku), "name": .string(product.name),
                "qty": .number(String(qty)), "unit_price": .string(DemoMoney.text(product.cents)),
                "amount": .string(DemoMoney.text(amount)),
            ]))
        }
        if failure == 0 { subtotal += 100_000 }
        let discount: Int64 = random.chance(0.3) ? 10_000 : 0
        let shipping: Int64 = random.chance(0.5) ? 1_200 : 0
        let total = subtotal - discount + shipping
        recentOrders.append((number, customer.customerCode, total))
        if recentOrders.count > 50 { recentOrders.removeFirst() }
        let document = JSONWriter.bytes(orderedObject: [
            ("doc_id", .string("erp-doc-\(number)-v1")), ("doc_type", .string("sales_order")), ("order_no", .string(number)),
            ("order_id", .string(String(88_000 + orderSequence))),
            ("customer", .object(["code": .string(customer.customerCode), "name": .string(customer.company)])),
            ("status", .string(failure == 1 ? "待审核" : random.pick(Self.statuses))),
            ("currency", .string(random.pick(["cny", "CNY"]))), ("order_date", .string(DemoTime.chinaLocal(sourceMs - 60_000))),
            ("modified_at", .string(DemoTime.utc(sourceMs))), ("sales_channel", .string(random.pick(["线上商城", "电话销售", "渠道代理"]))),
            ("salesperson", .string(customer.owner.login)), ("lines", .array(lines)),
            ("totals", .object([
                "subtotal": .string(failure == 2 ? "1,\(DemoMoney.text(subtotal))" : DemoMoney.text(subtotal)),
                "discount": .string(DemoMoney.text(discount)), "tax": .string("0.00"),
                "shipping": .string(DemoMoney.text(shipping)), "total": .string(DemoMoney.text(total)),
            ])),
        ])
        return DemoRecord(
            shape: "erp_order", connector: "erp", topic: TopicNames.rawERPOrders, key: number, value: document,
            invalid: invalid, late: nowMs - sourceMs > DemoTraffic.sloMs, sourceMs: sourceMs)
    }

    mutating func paypal(nowMs: Int64, sourceMs: Int64, invalid: Bool, people: DemoPeople, random: inout DemoRandom) -> DemoRecord {
        let order = recentOrders.last ?? ("SO-2024-000001", random.pick(people.customers).customerCode, 10_000)
        let currency = random.pick(["USD", "USD", "EUR"])
        let gross = max(1_000, order.cents / 7)  // paid in a foreign currency: roughly the CNY total converted
        let fee = (gross * 349 + 5_000) / 10_000 + 49
        var net = gross - fee
        if invalid { net += 1 }  // the stated net amount is one cent off
        let captureID = random.hex(17).uppercased()
        let time = DemoTime.utc(sourceMs)
        var breakdown: [(String, JSONValue)] = [
            ("gross_amount", Self.amount(currency, gross)), ("paypal_fee", Self.amount(currency, fee)),
            ("net_amount", Self.amount(currency, net)),
        ]
        if currency == "EUR" {
            breakdown.append(("receivable_amount", Self.amount("USD", net * 1_087 / 1_000)))
            breakdown.append(("exchange_rate", .object([
                "source_currency": .string("EUR"), "target_currency": .string("USD"), "value": .string("1.087337"),
            ])))
        }
        let document = JSONWriter.bytes(orderedObject: [
            ("id", .string("WH-\(random.hex(17).uppercased())-\(random.hex(17).uppercased())")), ("event_version", .string("1.0")),
            ("create_time", .string(time)), ("resource_type", .string("capture")), ("resource_version", .string("2.0")),
            ("event_type", .string("PAYMENT.CAPTURE.COMPLETED")),
            ("summary", .string("Payment completed for \(DemoMoney.text(gross)) \(currency)")),
            ("resource", .object([
                "id": .string(captureID), "amount": Self.amount(currency, gross), "final_capture": .bool(true),
                "invoice_id": .string(order.number), "custom_id": .string(order.code), "status": .string("COMPLETED"),
                "create_time": .string(time), "update_time": .string(time),
                "seller_receivable_breakdown": .object(Dictionary(breakdown) { _, last in last }),
            ])),
        ])
        return DemoRecord(
            shape: "paypal_capture", connector: "erp", topic: TopicNames.rawERPPayments, key: captureID, value: document,
            invalid: invalid, late: nowMs - sourceMs > DemoTraffic.sloMs, sourceMs: sourceMs)
    }

    mutating func bank(nowMs: Int64, sourceMs: Int64, invalid: Bool, people: DemoPeople, random: inout DemoRandom) -> DemoRecord {
        let order = recentOrders.last ?? ("SO-2024-000001", random.pick(people.customers).customerCode, 100_000)
        let customer = people.customers.first { $0.customerCode == order.code } ?? random.pick(people.customers)
        let fee: Int64 = random.pick([0, 500, 1_250])
        let transaction = "CMB\(DemoTime.chinaDate(sourceMs).replacingOccurrences(of: "-", with: ""))\(random.digits(5))"
        let callbackType = invalid ? "receipt.pending_review" : random.pick(["receipt.credited", "receipt.credited", "receipt.settled"])
        let document = JSONWriter.bytes(orderedObject: [
            ("callback_id", .string("BRC-\(random.digits(8))-\(random.digits(6))")), ("callback_type", .string(callbackType)),
            ("notify_time", .string(DemoTime.chinaLocal(sourceMs))), ("transaction_id", .string(transaction)),
            ("voucher_no", .string("V-\(DemoTime.chinaDate(sourceMs).prefix(7))-\(random.digits(6))")),
            ("amount", .string(DemoMoney.text(order.cents))), ("fee", .string(DemoMoney.text(fee))),
            ("net_amount", .string(DemoMoney.text(order.cents - fee))), ("currency", .string("CNY")),
            ("value_date", .string(DemoTime.chinaDate(sourceMs))), ("received_at", .string(DemoTime.china(sourceMs - 20_000))),
            ("order_no", .string(order.number)), ("customer_code", .string(order.code)),
            ("payer", .object(["name": .string(customer.company), "account": .string("6222 0212 \(random.digits(4)) \(random.digits(4))")])),
            ("remark", .string("\(order.number) 货款")),
        ])
        return DemoRecord(
            shape: "bank_receipt", connector: "erp", topic: TopicNames.rawERPPayments, key: transaction, value: document,
            invalid: invalid, late: nowMs - sourceMs > DemoTraffic.sloMs, sourceMs: sourceMs)
    }

    static func amount(_ currency: String, _ cents: Int64) -> JSONValue {
        .object(["currency_code": .string(currency), "value": .string(DemoMoney.text(cents))])
    }
}
