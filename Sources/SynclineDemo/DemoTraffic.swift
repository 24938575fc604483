import SynclineMapping

/// The demo's traffic generator: a realistic, continuous mix for all five upstream systems plus
/// the CRM's customer changelog, built from a seed so a run can be replayed. Pure: it returns
/// records and never touches Kafka (`DemoTrafficService` publishes them).
///
/// The mix (share of records): form leads 22 %, tickets 14 % (15 % of new tickets complaints),
/// ERP orders 10 %, PayPal captures 6 %, bank receipts 5 %, WeCom/DingTalk chat messages 25 %,
/// Asterisk/Twilio calls 15 %, customer changes 3 %; each valid payment is followed by finance's
/// booking of it (`DemoFinance`: a few at gross, some EUR ones less an FX loss). Of the upstream records, `invalidShare` are
/// deliberately broken (each connector's DLQ gets realistic reasons), about `lateShare` carry a
/// source time 95 s – 8 min old (delayed beyond the 90 s SLO), and about `strangerShare` of the
/// chats and calls are with contacts no customer has.
public struct DemoTraffic: Sendable {
    /// What to generate and how fast.
    public struct Settings: Sendable, Equatable {
        public var seed: UInt64
        /// Upstream records per second, all systems together.
        public var recordsPerSecond: Double
        public var invalidShare: Double
        public var lateShare: Double
        public var strangerShare: Double
        public var customers: Int

        public init(
            seed: UInt64 = 20_240_501, recordsPerSecond: Double = 40, invalidShare: Double = 0.04, lateShare: Double = 0.04,
            strangerShare: Double = 0.06, customers: Int = 80
        ) {
            self.seed = seed
            self.recordsPerSecond = recordsPerSecond
            self.invalidShare = invalidShare
            self.lateShare = lateShare
            self.strangerShare = strangerShare
            self.customers = customers
        }
    }

    /// The SLO the demo's late records exceed (every shipped connector uses 90 s).
    public static let sloMs: Int64 = 90_000

    /// Every shape the generator publishes.
    public static let shapes = [
        "customer_change", "form_lead", "ticket", "ticket_complaint", "erp_order", "paypal_capture", "bank_receipt",
        "wecom_message", "dingtalk_message", "asterisk_cdr", "twilio_callback", "finance_receipt",
    ]

    static let mix: [(kind: String, weight: Double)] = [
        ("customer", 0.03), ("marketing", 0.22), ("tickets", 0.14), ("order", 0.10), ("paypal", 0.06), ("bank", 0.05),
        ("chat", 0.25), ("call", 0.15),
    ]

    public let settings: Settings
    public let people: DemoPeople
    private var random: DemoRandom
    private var marketing = DemoMarketing()
    private var tickets = DemoTickets()
    private var erp = DemoERP()
    private var chats = DemoChats()
    private var calls = DemoCalls()
    /// Finance's bookings of the latest payments, published next.
    private var bookings: [DemoRecord] = []

    public init(settings: Settings = Settings(), nowMs: Int64) {
        self.settings = settings
        people = DemoPeople(seed: settings.seed, customers: settings.customers, nowMs: nowMs)
        random = DemoRandom(seed: settings.seed)
    }

    /// What to publish first: the CRM's customer changelog (so the identity index can link) and a
    /// chat-archive backfill of a long conversation with a stranger (so an alert appears early).
    public mutating func opening(nowMs: Int64) -> [DemoRecord] {
        chats.startStrangerBackfill(nowMs: nowMs, people: people, random: &random)
        return people.customers.map { customerRecord($0, nowMs: nowMs) }
    }

    /// The next record of the continuous mix, happening at `nowMs`.
    public mutating func next(nowMs: Int64) -> DemoRecord {
        if !bookings.isEmpty { return bookings.removeFirst() }
        var draw = Double.random(in: 0..<1, using: &random)
        var kind = "marketing"
        for entry in Self.mix {
            if draw < entry.weight {
                kind = entry.kind
                break
            }
            draw -= entry.weight
        }
        let invalid = random.chance(settings.invalidShare)
        let sourceMs = random.chance(settings.lateShare) ? nowMs - Int64(random.int(95_000...480_000)) : nowMs - Int64(random.int(50...1_500))
        switch kind {
        case "customer":
            return customerRecord(random.pick(people.customers), nowMs: nowMs)
        case "tickets":
            return tickets.make(nowMs: nowMs, sourceMs: sourceMs, invalid: invalid, people: people, random: &random)
        case "order":
            return erp.order(nowMs: nowMs, sourceMs: sourceMs, invalid: invalid, people: people, random: &random)
        case "paypal", "bank":
            let payment = kind == "paypal"
                ? erp.paypal(nowMs: nowMs, sourceMs: sourceMs, invalid: invalid, people: people, random: &random)
                : erp.bank(nowMs: nowMs, sourceMs: sourceMs, invalid: invalid, people: people, random: &random)
            if let booking = DemoFinance.booking(for: payment, bookedMs: nowMs, random: &random) { bookings.append(booking) }
            return payment
        case "chat":
            return chats.make(
                nowMs: nowMs, invalid: invalid, lateShare: settings.lateShare, strangerShare: settings.strangerShare, people: people,
                random: &random)
        case "call":
            let stranger = random.chance(settings.strangerShare)
            return calls.make(nowMs: nowMs, sourceMs: sourceMs, invalid: invalid, stranger: stranger, people: people, random: &random)
        default:
            return marketing.make(nowMs: nowMs, sourceMs: sourceMs, invalid: invalid, people: people, random: &random)
        }
    }

    private mutating func customerRecord(_ customer: DemoCustomer, nowMs: Int64) -> DemoRecord {
        let value = customer.changelog(updatedMs: nowMs, complained: random.chance(0.05))
        return DemoRecord(
            shape: "customer_change", connector: "customers", topic: TopicNames.customers, key: customer.customerID, value: value,
            sourceMs: nowMs)
    }
}
