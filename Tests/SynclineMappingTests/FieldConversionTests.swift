import Testing
import SynclineMapping

@Suite struct FieldConversionTests {
    func convert(_ type: FieldType, _ value: JSONValue, configure: (inout FieldConversion) -> Void = { _ in }) throws(FieldConversion.Failure) -> JSONValue {
        var conversion = FieldConversion(type: type, phone: PhoneNormalizer(defaultRegion: "CN"))
        configure(&conversion)
        return try conversion.convert(value)
    }

    func code(_ type: FieldType, _ value: JSONValue, configure: (inout FieldConversion) -> Void = { _ in }) -> ErrorCode? {
        do {
            _ = try convert(type, value, configure: configure)
            return nil
        } catch {
            return error.code
        }
    }

    static let good: [(FieldType, JSONValue, JSONValue)] = [
        (.string, .string("  Ada  "), .string("Ada")),
        (.string, .number("12.50"), .string("12.50")),
        (.string, .bool(true), .string("true")),
        (.int, .number("42"), .number("42")),
        (.int, .string(" -7 "), .number("-7")),
        (.int, .number("1e3"), .number("1000")),
        (.int, .number("12.0"), .number("12")),
        (.int, .number("9223372036854775807"), .number("9223372036854775807")),
        (.bool, .bool(false), .bool(false)),
        (.bool, .string("Yes"), .bool(true)),
        (.bool, .string("no"), .bool(false)),
        (.bool, .number("1"), .bool(true)),
        (.bool, .number("0"), .bool(false)),
        (.bool, .string("是"), .bool(true)),
        (.timestamp, .number("1714564800000"), .string("2024-05-01T12:00:00.000Z")),
        (.timestamp, .string("2024-05-01T20:00:00+08:00"), .string("2024-05-01T12:00:00.000Z")),
        (.phone, .string("138 0013 8000"), .string("+8613800138000")),
        (.phone, .number("13800138000"), .string("+8613800138000")),
        (.email, .string("  Ada.Lovelace@Example.COM "), .string("Ada.Lovelace@example.com")),
        (.email, .string("mailto:a@b.cn"), .string("a@b.cn")),
        (.object, .object(["a": .null]), .object(["a": .null])),
        (.array, .array([.number("1")]), .array([.number("1")])),
    ]

    @Test(arguments: good)
    func converts(_ type: FieldType, _ input: JSONValue, _ expected: JSONValue) throws {
        #expect(try convert(type, input) == expected)
    }

    static let bad: [(FieldType, JSONValue, ErrorCode)] = [
        (.string, .object([:]), .wrongType),
        (.int, .string("abc"), .notANumber),
        (.int, .number("12.5"), .notAnInteger),
        (.int, .number("9223372036854775808"), .intOutOfRange),
        (.int, .bool(true), .wrongType),
        (.decimal, .string("1,234.50"), .notANumber),
        (.decimal, .string("twelve"), .notANumber),
        (.decimal, .array([]), .wrongType),
        (.bool, .string("maybe"), .invalidBool),
        (.bool, .number("2"), .invalidBool),
        (.timestamp, .string("next tuesday"), .invalidTimestamp),
        (.timestamp, .bool(true), .wrongType),
        (.phone, .string("138-0013-800a"), .invalidPhone),
        (.phone, .object([:]), .wrongType),
        (.email, .string("ada@"), .invalidEmail),
        (.email, .string("ada lovelace@example.com"), .invalidEmail),
        (.email, .string("ada@@example.com"), .invalidEmail),
        (.email, .string("ada@example"), .invalidEmail),
        (.email, .string("ada@-example.com"), .invalidEmail),
        (.email, .string(".ada@example.com"), .invalidEmail),
        (.object, .string("{}"), .wrongType),
        (.array, .object([:]), .wrongType),
    ]

    @Test(arguments: bad)
    func rejectsWithCode(_ type: FieldType, _ input: JSONValue, _ expected: ErrorCode) {
        #expect(code(type, input) == expected)
    }

    @Test func decimalScale() throws {
        let scale2: (inout FieldConversion) -> Void = { $0.scale = 2 }
        #expect(try convert(.decimal, .number("12.3"), configure: scale2) == .number("12.30"))
        #expect(try convert(.decimal, .string("12.300"), configure: scale2) == .number("12.30"))
        #expect(try convert(.decimal, .number("-0.5"), configure: scale2) == .number("-0.50"))
        #expect(code(.decimal, .number("12.345"), configure: scale2) == .decimalScaleExceeded)
        #expect(code(.decimal, .number("1e30"), configure: scale2) == .decimalOverflow)
        #expect(try convert(.decimal, .number("0.1")) == .number("0.1"))
    }

    @Test func stringLengthAndTrim() throws {
        #expect(code(.string, .string("客户名称很长"), configure: { $0.maxLength = 5 }) == .tooLong)
        #expect(try convert(.string, .string("客户名称"), configure: { $0.maxLength = 4 }) == .string("客户名称"))
        #expect(try convert(.string, .string(" x "), configure: { $0.trim = false }) == .string(" x "))
    }

    @Test func enumMapAndDomain() throws {
        let level: (inout FieldConversion) -> Void = {
            $0.enumMap = ["高": "A", "中": "B", "低": "C"]
            $0.enumValues = ["A", "B", "C"]
        }
        #expect(try convert(.enum, .string("高"), configure: level) == .string("A"))
        #expect(try convert(.enum, .string(" 低 "), configure: level) == .string("C"))
        #expect(try convert(.enum, .string("B"), configure: level) == .string("B"))
        #expect(code(.enum, .string("超高"), configure: level) == .valueNotInEnum)
        #expect(code(.enum, .string("x"), configure: { $0.enumValues = ["a"] }) == .valueNotInEnum)
        #expect(try convert(.enum, .number("1"), configure: { $0.enumMap = ["1": "on"] }) == .string("on"))
    }

    @Test func phoneWithoutRegion() {
        var conversion = FieldConversion(type: .phone)
        conversion.phone = nil
        #expect(throws: FieldConversion.Failure.self) { try conversion.convert(.string("13800138000")) }
    }
}
