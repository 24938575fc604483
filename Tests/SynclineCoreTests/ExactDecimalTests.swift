import Testing
import SynclineCore

@Suite struct ExactDecimalTests {
    func d(_ text: String) throws -> ExactDecimal { try ExactDecimal.parse(text) }

    @Test func pointOnePlusPointTwoIsExactlyPointThree() throws {
        let sum = try d("0.1").adding(try d("0.2"))
        #expect(sum == (try d("0.3")))
        #expect(sum.description == "0.3")
    }

    @Test("the 64-bit extremes parse exactly; one past them is an overflow")
    func int64Extremes() throws {
        #expect(try d("-9223372036854775808").description == "-9223372036854775808")
        #expect(try d("9223372036854775807").description == "9223372036854775807")
        #expect(throws: ExactDecimal.Failure.self) { _ = try d("-9223372036854775809") }
        #expect(throws: ExactDecimal.Failure.self) { _ = try d("9223372036854775808") }
    }

    @Test func moneySubtraction() throws {
        let net = try d("100.00").subtracting(try d("3.20")).subtracting(try d("0.35"))
        #expect(net.description == "96.45")
        #expect(net.rescaledExactly(to: 2)?.description == "96.45")
    }

    @Test(arguments: [
        ("12.30", "12.30"), ("-0.05", "-0.05"), ("7", "7"), ("1.5e2", "150"), ("1.25E-1", "0.125"), ("+3", "3"),
        ("0.100000000000000000000", "0.100000000000000000"), ("007", "7"),
    ])
    func parsesLiterals(_ text: String, _ expected: String) throws {
        #expect(try d(text).description == expected)
    }

    @Test(arguments: ["", "abc", "1,234.50", "1.", ".5", "1e", "--1", "1 000", "NaN", "0x10"])
    func rejectsNonNumbers(_ text: String) {
        #expect(throws: ExactDecimal.Failure.notANumber) { try ExactDecimal.parse(text) }
    }

    @Test func overflowIsReported() {
        #expect(throws: ExactDecimal.Failure.overflow) { try ExactDecimal.parse("99999999999999999999") }
        #expect(throws: ExactDecimal.Failure.overflow) { try ExactDecimal.parse("0.0000000000000000001") }
        #expect(throws: ExactDecimal.Failure.overflow) {
            try ExactDecimal.parse("9000000000000000000").adding(try ExactDecimal.parse("9000000000000000000"))
        }
    }

    @Test func multiplyAndDivide() throws {
        #expect(try d("1.10").multiplied(by: try d("3")).description == "3.30")
        #expect(try d("19.99").multiplied(by: try d("0.065")).description == "1.29935")
        #expect(try d("10").divided(by: try d("4")).description == "2.5")
        #expect(try d("1").divided(by: try d("3")).description == "0.333333333333333333")
        #expect(try d("2").divided(by: try d("3")).rounded(to: 2).description == "0.67")
        #expect(throws: ExactDecimal.Failure.divisionByZero) { try d("1").divided(by: try d("0.00")) }
    }

    @Test func roundingIsHalfAwayFromZero() throws {
        #expect(try d("2.345").rounded(to: 2).description == "2.35")
        #expect(try d("-2.345").rounded(to: 2).description == "-2.35")
        #expect(try d("2.344").rounded(to: 2).description == "2.34")
        #expect(try d("2.5").rounded(to: 0).description == "3")
        #expect(try d("1.2").rounded(to: 3).description == "1.200")
    }

    @Test func rescaleRefusesToDropDigits() throws {
        #expect(try d("12.345").rescaledExactly(to: 2) == nil)
        #expect(try d("12.300").rescaledExactly(to: 2)?.description == "12.30")
        #expect(try d("12").rescaledExactly(to: 2)?.description == "12.00")
    }

    @Test func comparison() throws {
        #expect(try d("1.50") == (try d("1.5")))
        #expect(try d("-1") < (try d("0.001")))
        #expect(try d("10.01") > (try d("10.001")))
    }
}
