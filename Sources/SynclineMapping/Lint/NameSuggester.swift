/// Suggests a lower snake_case ASCII name for a field name that is not one: `Customer Level` →
/// `customer_level`, `customerLevel` → `customer_level`, `客户_等级_v2` → `customer_level_v2` (common
/// Chinese CRM words come from a small glossary; anything it cannot translate becomes `field`).
public enum NameSuggester {
    /// Common CRM words in form-designer field names, longest first when matching.
    static let glossary: [(String, String)] = [
        ("电子邮箱", "email"), ("手机号码", "mobile"), ("联系电话", "phone"), ("客户等级", "customer_level"),
        ("手机号", "mobile"), ("所在城市", "city"), ("意向课程", "course_interest"), ("公司名称", "company_name"),
        ("客户", "customer"), ("等级", "level"), ("级别", "level"), ("姓名", "name"), ("名字", "name"), ("手机", "mobile"),
        ("电话", "phone"), ("邮箱", "email"), ("城市", "city"), ("省份", "province"), ("地址", "address"), ("公司", "company"),
        ("行业", "industry"), ("职位", "title"), ("部门", "department"), ("意向", "intent"), ("课程", "course"),
        ("来源", "source"), ("渠道", "channel"), ("备注", "note"), ("金额", "amount"), ("订单", "order"), ("状态", "status"),
        ("时间", "time"), ("日期", "date"), ("类型", "type"), ("编号", "number"), ("性别", "gender"), ("年龄", "age"),
        ("微信", "wechat"), ("产品", "product"), ("数量", "quantity"), ("价格", "price"), ("币种", "currency"),
        ("所在", ""), ("的", ""),
    ].sorted { $0.0.count > $1.0.count }

    /// The suggestion, and whether part of the name could not be translated (the engineer should name it).
    public static func suggest(_ name: String) -> (name: String, complete: Bool) {
        var words: [String] = []
        var current = ""
        var complete = true
        var previousLower = false
        func flush() {
            if !current.isEmpty { words.append(current.lowercased()) }
            current = ""
        }
        var scalars = Array(name.unicodeScalars)[...]
        while let scalar = scalars.first {
            if scalar.isASCII {
                scalars = scalars.dropFirst()
                let isUpper = ("A"..."Z").contains(scalar)
                let isAlnum = isUpper || ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar)
                if !isAlnum {
                    flush()
                    previousLower = false
                    continue
                }
                if isUpper, previousLower { flush() }  // camelCase boundary
                current.unicodeScalars.append(scalar)
                previousLower = ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar)
                continue
            }
            flush()
            previousLower = false
            let rest = String(String.UnicodeScalarView(scalars))
            if let (word, english) = glossary.first(where: { rest.hasPrefix($0.0) }) {
                if !english.isEmpty { words.append(english) }
                scalars = scalars.dropFirst(word.unicodeScalars.count)
            } else {
                complete = false
                if words.last != "field" { words.append("field") }
                scalars = scalars.dropFirst()
                // Skip the rest of this untranslatable run.
                while let next = scalars.first, !next.isASCII,
                    !glossary.contains(where: { String(String.UnicodeScalarView(scalars)).hasPrefix($0.0) })
                {
                    scalars = scalars.dropFirst()
                }
            }
        }
        flush()
        var result = words.filter { !$0.isEmpty }.joined(separator: "_")
        if result.isEmpty {
            result = "field"
            complete = false
        }
        if let first = result.unicodeScalars.first, ("0"..."9").contains(first) { result = "f_" + result }
        return (result, complete)
    }

    /// Levenshtein distance, for "did you mean" hints.
    public static func distance(_ a: String, _ b: String) -> Int {
        let x = Array(a.unicodeScalars)
        let y = Array(b.unicodeScalars)
        if x.isEmpty { return y.count }
        if y.isEmpty { return x.count }
        var previous = Array(0...y.count)
        for i in 1...x.count {
            var row = [i] + Array(repeating: 0, count: y.count)
            for j in 1...y.count {
                row[j] = min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1))
            }
            previous = row
        }
        return previous[y.count]
    }
}
