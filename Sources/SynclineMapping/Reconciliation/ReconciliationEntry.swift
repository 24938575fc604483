/// One figure on either side of a reconciliation: a CRM payment (crm.payments.v1: net = gross −
/// fee − FX loss) or a finance booking (crm.finance_receipts.v1, or a row of finance's CSV export),
/// reduced to what the comparison needs. Amounts are exact decimals.
public struct ReconciliationEntry: Sendable, Equatable {
    public enum Side: String, Sendable { case crm, finance }

    public var side: Side
    /// payment_id, or the finance entry id.
    public var id: String
    public var voucherRef: String?
    public var currency: String
    /// CRM: net_amount; finance: booked_amount.
    public var amount: ExactDecimal
    /// The local day (YYYY-MM-DD) the figure counts in.
    public var day: String
    public var gross: ExactDecimal?
    public var fee: ExactDecimal?
    public var fxLoss: ExactDecimal?

    public init(
        side: Side, id: String, voucherRef: String?, currency: String, amount: ExactDecimal, day: String,
        gross: ExactDecimal? = nil, fee: ExactDecimal? = nil, fxLoss: ExactDecimal? = nil
    ) {
        self.side = side
        self.id = id
        self.voucherRef = voucherRef
        self.currency = currency
        self.amount = amount
        self.day = day
        self.gross = gross
        self.fee = fee
        self.fxLoss = fxLoss
    }

    /// A crm.payments.v1 record: its day is the bank's value date when given, else `received_at`
    /// in the zone `utcOffsetMinutes` east of UTC; nil when it lacks an id, currency, net or time.
    public init?(payment document: JSONValue, utcOffsetMinutes: Int) {
        func text(_ key: String) -> String? { document[key].flatMap(FieldConversion.scalarText).flatMap { $0.isEmpty ? nil : $0 } }
        func decimal(_ key: String) -> ExactDecimal? { text(key).flatMap { try? ExactDecimal.parse($0) } }
        guard let id = text("payment_id"), let currency = text("currency"), let net = decimal("net_amount") else { return nil }
        let day: String
        if let value = text("value_date"), value.count == 10 {
            day = value
        } else if let received = text("received_at"), let ms = try? TimestampParser.utc.milliseconds(received) {
            day = String(UTCTimestamp.format(ms: ms + Int64(utcOffsetMinutes) * 60_000).prefix(10))
        } else {
            return nil
        }
        self.init(
            side: .crm, id: id, voucherRef: text("voucher_ref"), currency: currency.uppercased(), amount: net, day: day,
            gross: decimal("gross_amount"), fee: decimal("fee"), fxLoss: decimal("fx_loss"))
    }

    /// A crm.finance_receipts.v1 record (or a CSV row read into the same fields).
    public init?(finance document: JSONValue) {
        func text(_ key: String) -> String? { document[key].flatMap(FieldConversion.scalarText).flatMap { $0.isEmpty ? nil : $0 } }
        guard let voucher = text("voucher_ref"), let currency = text("currency"), let date = text("booked_date"), date.count >= 10,
              let amount = text("booked_amount").flatMap({ try? ExactDecimal.parse($0) }) else { return nil }
        self.init(
            side: .finance, id: text("receipt_id") ?? voucher, voucherRef: voucher, currency: currency.uppercased(), amount: amount,
            day: String(date.prefix(10)))
    }
}
