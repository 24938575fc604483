import SynclineCore

/// The demo's finance feed: for each valid bank receipt and PayPal capture, the booking finance
/// makes of it on raw.finance.receipts.v1 (same voucher, the CRM's net amount, the receipt's day) —
/// except that about one in eight is booked at its gross (the fee counted differently), and EUR
/// PayPal captures are booked in USD at the amount received after conversion (the FX difference),
/// so the hub's reconciliation finds a few differing vouchers and a gap.
enum DemoFinance {
    static func booking(for receipt: DemoRecord, bookedMs: Int64, random: inout DemoRandom) -> DemoRecord? {
        guard !receipt.invalid, let document = try? JSONParser.parse(receipt.value) else { return nil }
        func text(_ value: JSONValue?) -> String? { value.flatMap(FieldConversion.scalarText) }
        let voucher: String
        var currency: String
        var net: String
        let gross: String
        if receipt.shape == "bank_receipt" {
            guard let v = text(document["voucher_no"]), let c = text(document["currency"]), let n = text(document["net_amount"]),
                  let g = text(document["amount"]) else { return nil }
            (voucher, currency, net, gross) = (v, c, n, g)
        } else {
            let resource = document["resource"]
            let breakdown = resource?["seller_receivable_breakdown"]
            guard let v = text(resource?["id"]), let c = text(resource?["amount"]?["currency_code"]),
                  let n = text(breakdown?["net_amount"]?["value"]), let g = text(breakdown?["gross_amount"]?["value"]) else { return nil }
            (voucher, currency, net, gross) = (v, c, n, g)
            if c == "EUR", let received = text(breakdown?["receivable_amount"]?["value"]) {
                (currency, net) = ("USD", received)
            }
        }
        let amount = random.chance(0.125) ? gross : net
        let entry = "FIN-\(voucher)"
        let value = DemoJSON.object([
            ("entry_id", .string(entry)), ("voucher_ref", .string(voucher)), ("booked_amount", .string(amount)),
            ("currency", .string(currency.uppercased())), ("booked_date", .string(DemoTime.chinaDate(receipt.sourceMs))),
            ("booked_at", .string(DemoTime.utc(bookedMs))), ("account", .string("1002 银行存款")),
        ])
        return DemoRecord(
            shape: "finance_receipt", connector: "finance", topic: TopicNames.rawFinanceReceipts, key: entry, value: value.bytes,
            sourceMs: bookedMs)
    }
}
