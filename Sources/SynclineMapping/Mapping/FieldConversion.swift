/// The effective conversion of one canonical field: the rule's options merged with the schema's
/// (the rule's type defaults to the schema's), resolved once when the pipeline is built.
public struct FieldConversion: Sendable {
    public var type: FieldType
    public var scale: Int?
    public var maxLength: Int?
    /// Trim surrounding whitespace of strings (default true).
    public var trim: Bool
    public var phone: PhoneNormalizer?
    public var timestamps: TimestampParser
    /// Upstream value → canonical value, for `enum` fields (keys compared after trimming).
    public var enumMap: [String: String]?
    /// The schema's allowed values for `enum` fields.
    public var enumValues: [String]?
    /// Accept only keys of `enumMap` (`map_only: true`): a value is derived, never passed through.
    public var mapOnly = false

    public init(
        type: FieldType, scale: Int? = nil, maxLength: Int? = nil, trim: Bool = true, phone: PhoneNormalizer? = nil,
        timestamps: TimestampParser = .utc, enumMap: [String: String]? = nil, enumValues: [String]? = nil
    ) {
        self.type = type
        self.scale = scale
        self.maxLength = maxLength
        self.trim = trim
        self.phone = phone
        self.timestamps = timestamps
        self.enumMap = enumMap
        self.enumValues = enumValues
    }

    /// Why a value did not convert: a stable code and a specific reason.
    public struct Failure: Error, Sendable, Equatable {
        public var code: ErrorCode
        public var reason: String

        public init(_ code: ErrorCode, _ reason: String) {
            self.code = code
            self.reason = reason
        }
    }

    /// Converts a non-empty source value to the canonical representation of `type`.
    public func convert(_ value: JSONValue) throws(Failure) -> JSONValue {
        switch type {
        case .string: return .string(try convertString(value))
        case .int: return .number(try convertInt(value))
        case .decimal: return .number(try convertDecimal(value).description)
        case .bool: return .bool(try convertBool(value))
        case .timestamp: return .string(TimestampParser.format(milliseconds: try convertTimestamp(value)))
        case .phone: return .string(try convertPhone(value))
        case .email: return .string(try convertEmail(value))
        case .enum: return .string(try convertEnum(value))
        case .object:
            guard case .object = value else { throw Failure(.wrongType, "expected an object, found \(value.kindName) \(value.shortDisplay)") }
            return value
        case .array:
            guard case .array = value else { throw Failure(.wrongType, "expected an array, found \(value.kindName) \(value.shortDisplay)") }
            return value
        }
    }

    /// Text of a scalar (strings as-is, numbers as written, bools as true/false); nil for containers and null.
    public static func scalarText(_ value: JSONValue) -> String? {
        switch value {
        case .string(let text): return text
        case .number(let text): return text
        case .bool(let flag): return flag ? "true" : "false"
        default: return nil
        }
    }

    func convertString(_ value: JSONValue) throws(Failure) -> String {
        guard var text = Self.scalarText(value) else {
            throw Failure(.wrongType, "expected text, found \(value.kindName) \(value.shortDisplay)")
        }
        if trim { text = TextTrim.trim(text) }
        if let maxLength {
            let length = text.unicodeScalars.count
            if length > maxLength { throw Failure(.tooLong, "\(length) characters, max_length is \(maxLength)") }
        }
        return text
    }

    func numberText(_ value: JSONValue) throws(Failure) -> String {
        switch value {
        case .number(let text): return text
        case .string(let text):
            let trimmed = TextTrim.trim(text)
            if trimmed.utf8.contains(UInt8(ascii: ",")) {
                throw Failure(.notANumber, "'\(text)' is not a number (thousands separators are not accepted; map a clean value)")
            }
            return trimmed
        default:
            throw Failure(.wrongType, "expected a number, found \(value.kindName) \(value.shortDisplay)")
        }
    }

    func convertInt(_ value: JSONValue) throws(Failure) -> String {
        let text = try numberText(value)
        let decimal: ExactDecimal
        do {
            decimal = try ExactDecimal.parse(text)
        } catch .overflow {
            throw Failure(.intOutOfRange, "'\(text)' is outside the 64-bit integer range")
        } catch {
            throw Failure(.notANumber, "'\(text)' is not a number")
        }
        guard decimal.isInteger else { throw Failure(.notAnInteger, "'\(text)' has a fractional part") }
        return String(decimal.normalized.significand)
    }

    func convertDecimal(_ value: JSONValue) throws(Failure) -> ExactDecimal {
        let text = try numberText(value)
        let decimal: ExactDecimal
        do {
            decimal = try ExactDecimal.parse(text)
        } catch .overflow {
            throw Failure(.decimalOverflow, "'\(text)' is too large or too precise for an exact 18-digit decimal")
        } catch {
            throw Failure(.notANumber, "'\(text)' is not a number")
        }
        guard let scale else { return decimal.normalized }
        guard let result = decimal.rescaledExactly(to: scale) else {
            if decimal.normalized.scale > scale {
                throw Failure(.decimalScaleExceeded, "'\(text)' has \(decimal.normalized.scale) digits after the point, scale is \(scale) (use round(x, \(scale)) in an expr to round)")
            }
            throw Failure(.decimalOverflow, "'\(text)' is too large at scale \(scale)")
        }
        return result
    }

    func convertBool(_ value: JSONValue) throws(Failure) -> Bool {
        switch value {
        case .bool(let flag): return flag
        case .number(let text):
            if text == "1" { return true }
            if text == "0" { return false }
        case .string(let text):
            switch TextTrim.trim(text).lowercased() {
            case "true", "yes", "y", "1", "on", "是": return true
            case "false", "no", "n", "0", "off", "否": return false
            default: break
            }
        default: break
        }
        throw Failure(.invalidBool, "\(value.shortDisplay) is not true/false/yes/no/1/0")
    }

    func convertTimestamp(_ value: JSONValue) throws(Failure) -> Int64 {
        do {
            switch value {
            case .number(let text): return try TimestampParser.epochMilliseconds(text)
            case .string(let text): return try timestamps.milliseconds(text)
            default: throw Failure(.wrongType, "expected a timestamp, found \(value.kindName) \(value.shortDisplay)")
            }
        } catch let failure as TimestampParser.Failure {
            throw Failure(.invalidTimestamp, failure.reason)
        } catch let failure as Failure {
            throw failure
        } catch {
            throw Failure(.invalidTimestamp, "\(value.shortDisplay) is not a timestamp")
        }
    }

    func convertPhone(_ value: JSONValue) throws(Failure) -> String {
        let text: String
        switch value {
        case .string(let string): text = string
        case .number(let number): text = number
        default: throw Failure(.wrongType, "expected a phone number, found \(value.kindName) \(value.shortDisplay)")
        }
        guard let phone else { throw Failure(.invalidPhone, "no phone region configured") }
        do {
            return try phone.normalize(text)
        } catch {
            throw Failure(.invalidPhone, "'\(text)': \(error.reason)")
        }
    }

    func convertEmail(_ value: JSONValue) throws(Failure) -> String {
        guard case .string(let text) = value else {
            throw Failure(.wrongType, "expected an email address, found \(value.kindName) \(value.shortDisplay)")
        }
        do {
            return try EmailNormalizer.normalize(text)
        } catch {
            throw Failure(.invalidEmail, "'\(text)': \(error.reason)")
        }
    }

    func convertEnum(_ value: JSONValue) throws(Failure) -> String {
        guard let raw = Self.scalarText(value) else {
            throw Failure(.wrongType, "expected an enum value, found \(value.kindName) \(value.shortDisplay)")
        }
        let text = TextTrim.trim(raw)
        if let enumMap, let mapped = enumMap[text] { return mapped }
        if mapOnly, let enumMap {
            throw Failure(.valueNotInEnum, "'\(text)' has no entry in the rule's map (map_only; known: \(enumMap.keys.sorted().joined(separator: ", ")))")
        }
        if let enumValues {
            if enumValues.contains(text) { return text }
            let allowed = enumValues.joined(separator: ", ")
            let mapNote = enumMap == nil ? "" : " and the rule's map has no entry for it"
            throw Failure(.valueNotInEnum, "'\(text)' is not one of [\(allowed)]\(mapNote)")
        }
        if enumMap != nil { throw Failure(.valueNotInEnum, "'\(text)' has no entry in the rule's map") }
        return text
    }
}
