/// Checks a canonical record against its topic's schema: required fields present and non-null,
/// values of the declared type and domain, decimal scale, max_length, and no undeclared fields.
public struct SchemaValidator: Sendable {
    public let topic: String
    public let fields: [FieldSchema]
    let names: Set<String>

    public init(topic: String, fields: [FieldSchema]) {
        self.topic = topic
        self.fields = fields
        self.names = Set(fields.map(\.name))
    }

    /// One schema violation.
    public struct Issue: Sendable, Equatable {
        public var code: ErrorCode
        public var field: String
        public var reason: String
    }

    /// The first violation, or nil when the record conforms.
    public func firstIssue(_ members: [String: JSONValue]) -> Issue? {
        for field in fields {
            guard let value = members[field.name], !value.isNull else {
                if field.required { return Issue(code: .requiredMissing, field: field.name, reason: "required field '\(field.name)' is missing or null") }
                continue
            }
            if let issue = check(value, field) { return issue }
        }
        for name in members.keys.sorted() where !names.contains(name) {
            return Issue(code: .unknownField, field: name, reason: "field '\(name)' is not in the schema of \(topic)")
        }
        return nil
    }

    /// Every violation (for fixtures and `syncline map`).
    public func allIssues(_ members: [String: JSONValue]) -> [Issue] {
        var issues: [Issue] = []
        for field in fields {
            guard let value = members[field.name], !value.isNull else {
                if field.required { issues.append(Issue(code: .requiredMissing, field: field.name, reason: "required field '\(field.name)' is missing or null")) }
                continue
            }
            if let issue = check(value, field) { issues.append(issue) }
        }
        for name in members.keys.sorted() where !names.contains(name) {
            issues.append(Issue(code: .unknownField, field: name, reason: "field '\(name)' is not in the schema of \(topic)"))
        }
        return issues
    }

    func check(_ value: JSONValue, _ field: FieldSchema) -> Issue? {
        func wrong(_ expected: String) -> Issue {
            Issue(code: .wrongType, field: field.name, reason: "'\(field.name)' must be \(expected), found \(value.kindName) \(value.shortDisplay)")
        }
        switch field.type {
        case .string:
            guard case .string(let text) = value else { return wrong("a string") }
            if let maxLength = field.maxLength, text.unicodeScalars.count > maxLength {
                return Issue(code: .tooLong, field: field.name, reason: "'\(field.name)' has \(text.unicodeScalars.count) characters, max_length is \(maxLength)")
            }
        case .int:
            guard case .number(let text) = value else { return wrong("an integer") }
            guard Int64(text) != nil else {
                return Issue(code: .notAnInteger, field: field.name, reason: "'\(field.name)' must be a 64-bit integer, found \(text)")
            }
        case .decimal:
            guard case .number(let text) = value else { return wrong("a decimal number") }
            guard let decimal = try? ExactDecimal.parse(text) else {
                return Issue(code: .decimalOverflow, field: field.name, reason: "'\(field.name)' = \(text) does not fit an exact decimal")
            }
            if let scale = field.scale, decimal.normalized.scale > scale {
                return Issue(code: .decimalScaleExceeded, field: field.name, reason: "'\(field.name)' = \(text) has more than \(scale) digits after the point")
            }
        case .bool:
            guard case .bool = value else { return wrong("true or false") }
        case .timestamp:
            guard case .string(let text) = value else { return wrong("an RFC 3339 UTC timestamp") }
            guard TimestampParser.isCanonicalUTC(text) else {
                return Issue(code: .invalidTimestamp, field: field.name, reason: "'\(field.name)' = '\(text)' is not an RFC 3339 UTC timestamp (…Z)")
            }
        case .phone:
            guard case .string(let text) = value else { return wrong("an E.164 phone number") }
            let digits = text.utf8.dropFirst()
            guard text.utf8.first == UInt8(ascii: "+"), (8...15).contains(digits.count), digits.first != UInt8(ascii: "0"),
                digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 })
            else {
                return Issue(code: .invalidPhone, field: field.name, reason: "'\(field.name)' = '\(text)' is not E.164 (+ and 8–15 digits)")
            }
        case .email:
            guard case .string(let text) = value else { return wrong("an email address") }
            guard EmailNormalizer.isValid(text) else {
                return Issue(code: .invalidEmail, field: field.name, reason: "'\(field.name)' = '\(text)' is not a normalised email address")
            }
        case .enum:
            guard case .string(let text) = value else { return wrong("one of the enum values") }
            if let values = field.values, !values.contains(text) {
                return Issue(code: .valueNotInEnum, field: field.name, reason: "'\(field.name)' = '\(text)' is not one of [\(values.joined(separator: ", "))]")
            }
        case .object:
            guard case .object = value else { return wrong("an object") }
        case .array:
            guard case .array = value else { return wrong("an array") }
        }
        return nil
    }
}
