/// The demo's cast: staff and a roster of customers built from a seed, plus strangers (contacts no
/// customer has) made up on demand.
public struct DemoPeople: Sendable {
    public let staff: [DemoStaff]
    public let customers: [DemoCustomer]

    static let surnames = ["王", "李", "张", "刘", "陈", "杨", "黄", "赵", "周", "吴", "徐", "孙", "胡", "朱", "高", "林", "何", "郭", "马", "罗"]
    static let givenNames = ["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "洋", "艳", "勇", "军", "杰", "娟", "涛", "明", "超", "秀英", "霞", "平", "梅梅", "雷", "晓东", "子涵"]
    static let pinyin = ["wang", "li", "zhang", "liu", "chen", "yang", "huang", "zhao", "zhou", "wu", "xu", "sun", "hu", "zhu", "gao", "lin", "he", "guo", "ma", "luo"]
    static let companies = ["上海星火教育科技有限公司", "北京启明软件有限公司", "杭州云帆网络科技有限公司", "深圳蓝海贸易有限公司", "成都天府数据服务有限公司", "广州南方文化传媒有限公司", "苏州工业园区智造有限公司", "武汉光谷信息技术有限公司"]
    static let cities = ["上海", "北京", "杭州", "深圳", "成都", "广州", "苏州", "武汉", "南京", "西安"]
    static let industries = ["教育", "软件", "制造", "零售", "金融", "医疗", "物流", "传媒"]
    static let levels = ["A", "B", "C", "D"]
    static let mobilePrefixes = ["138", "139", "137", "136", "135", "150", "151", "158", "186", "188", "177", "199"]

    public init(seed: UInt64, customers count: Int = 80, nowMs: Int64) {
        var random = DemoRandom(seed: seed ^ 0xC0FFEE)
        let staffNames: [(String, String)] = [
            ("zhang.wei", "张伟"), ("li.na", "李娜"), ("wang.fang", "王芳"), ("liu.yang", "刘洋"), ("chen.jie", "陈杰"), ("zhao.min", "赵敏"),
        ]
        var staff: [DemoStaff] = []
        for (index, (login, name)) in staffNames.enumerated() {
            staff.append(DemoStaff(
                login: login, name: name, wecomID: login.replacingOccurrences(of: ".", with: ""),
                dingtalkStaffID: "manager\(4500 + index * 7)", phoneExtension: "80\(10 + index)",
                twilioNumber: "+1415555\(String(1000 + index * 13))", agentID: "agent-\(17 + index)"))
        }
        self.staff = staff
        var customers: [DemoCustomer] = []
        var mobiles = Set<String>()
        for index in 0..<max(1, count) {
            let surname = random.int(0...(Self.surnames.count - 1))
            var mobile = random.pick(Self.mobilePrefixes) + random.digits(8)
            while mobiles.contains(mobile) { mobile = random.pick(Self.mobilePrefixes) + random.digits(8) }
            mobiles.insert(mobile)
            customers.append(DemoCustomer(
                customerID: "CUST-\(10_001 + index)", name: Self.surnames[surname] + random.pick(Self.givenNames),
                company: random.pick(Self.companies), mobile: mobile,
                email: "\(Self.pinyin[surname]).\(random.digits(4))@example.cn",
                wecomExternalID: "wm" + random.hex(16), dingtalkID: "dt" + random.hex(12), helpdeskID: "Z-\(1000 + index)",
                customerCode: "C-\(10_000 + index * 7)", owner: random.pick(staff), level: random.pick(Self.levels),
                industry: random.pick(Self.industries), city: random.pick(Self.cities),
                createdMs: nowMs - Int64(random.int(30...900)) * 86_400_000))
        }
        self.customers = customers
    }

    /// A mobile number no customer has (a stranger calling or chatting).
    public func strangerMobile(_ random: inout DemoRandom) -> String {
        let known = Set(customers.map(\.mobile))
        var mobile = "170" + random.digits(8)
        while known.contains(mobile) { mobile = "170" + random.digits(8) }
        return mobile
    }

    /// A WeCom external id no customer has.
    public func strangerWeComID(_ random: inout DemoRandom) -> String { "wo" + random.hex(16) }

    /// A DingTalk id no customer has.
    public func strangerDingTalkID(_ random: inout DemoRandom) -> String { "dx" + random.hex(12) }

    /// A name for a stranger.
    public func strangerName(_ random: inout DemoRandom) -> String {
        random.pick(Self.surnames) + random.pick(Self.givenNames)
    }

    /// Formats a mobile number the way people type it into forms and help desks.
    public static func typed(_ mobile: String, _ random: inout DemoRandom) -> String {
        let chars = Array(mobile)
        guard chars.count == 11 else { return mobile }
        let a = String(chars[0..<3]), b = String(chars[3..<7]), c = String(chars[7..<11])
        switch random.int(0...3) {
        case 0: return "\(a) \(b) \(c)"
        case 1: return "+86 \(a)-\(b)-\(c)"
        case 2: return "+86" + mobile
        default: return mobile
        }
    }
}
