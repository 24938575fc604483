import SynclineMapping

/// The demo's finance feed: for each valid bank receipt and PayPal capture, the booking finance
/// makes of it on raw.finance.receipts.v1 (same voucher, the CRM's net amount, the receipt's day) —
/// except that about one in eight is booked at its gross (the fee counted differently), and about
/// a third of the EUR PayPal captures 0.6% lower (finance counts a conversion loss the CRM does not),
/// so the hub's reconciliation finds a few differing vouchers and a gap.
enum DemoFinance {
    static func booking(for receipt: DemoRecord, bookedMs: Int64, random: inout DemoRandom) -> DemoRecord? {
        guard !receipt.invalid, let document = try? JSONParser.parse(receipt.value) else { return nil }
        func text(_ value: JSONValue?) -> String? { value.flatMap(FieldConversion.scalarText) }
        let voucher: String
        let currency: String
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
            // Finance counts a conversion loss on about a third of the EUR captures (0.6% of the net).
            if c == "EUR", random.chance(0.33), let cents = Int64(n.replacingOccurrences(of: ".", with: "")) {
                net = DemoMoney.text(cents - (cents * 6 + 500) / 1_000)
            }
        }
        let amount = random.chance(0.125) ? gross : net
        let entry = "FIN-\(voucher)"
        let value = JSONWriter.bytes(orderedObject: [
            ("entry_id", .string(entry)), ("voucher_ref", .string(voucher)), ("booked_amount", .string(amount)),
            ("currency", .string(currency.uppercased())), ("booked_date", .string(DemoTime.chinaDate(receipt.sourceMs))),
            ("booked_at", .string(DemoTime.utc(bookedMs))), ("account", .string("1002 银行存款")),
        ])
        return DemoRecord(
            shape: "finance_receipt", connector: "finance", topic: TopicNames.rawFinanceReceipts, key: entry, value: value,
            sourceMs: bookedMs)
    }
}
