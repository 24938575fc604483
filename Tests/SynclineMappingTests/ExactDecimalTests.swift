import Testing
import SynclineMapping

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
    // Issue 14: these trapped (arithmetic overflow) or were wrong before division, multiplication and
    // comparison moved to 128-bit intermediates.

    @Test("regression: a quotient just under 2^64 at 18 places no longer traps (round(a / b, 0) killed the hub)")
    func quotientNearTwoToTheSixtyFour() throws {
        let quotient = try d("6925605966349787035").divided(by: try d("375437851724750521"))
        #expect(quotient.description == "18.44674407370955162")
        #expect(try quotient.rounded(to: 0).description == "18")
        #expect(try d("-6925605966349787035").divided(by: try d("375437851724750521")).description == "-18.44674407370955162")
    }

    @Test("regression: division keeps every place that fits (it used to stop at the 10^18 exponent limit)")
    func divisionKeepsThePlacesThatFit() throws {
        #expect(try d("1").divided(by: try d("0.000000000000000003")).description == "333333333333333333.3")
        #expect(try d("-1000000000000.0").divided(by: try d("0.658358346818222485")).description == "-1518929629787.328045")
        #expect(throws: ExactDecimal.Failure.overflow) { try d("9223372036854775807").divided(by: try d("0.1")) }
        #expect(try d("9223372036854775807").divided(by: try d("-9223372036854775808")).description == "-1")
    }

    @Test("regression: a product whose rounding would pass Int64.max is kept at one place fewer instead of failing")
    func productRoundingAtTheLimit() throws {
        // 922337203685477580.75 rounds up past Int64.max at 1 place; at 0 places it is 922337203685477581.
        let product = try d("36893488147419103.23").multiplied(by: try d("25"))
        #expect(product.description == "922337203685477581")
        #expect(throws: ExactDecimal.Failure.overflow) { try d("9223372036854775807").multiplied(by: try d("2")) }
    }

    @Test("regression: comparisons are exact when the operands cannot be aligned in 64 bits")
    func comparisonWithoutCommonScale() throws {
        let a = try d("92233720368547758.1")
        let b = try d("92233720368547758.07")
        #expect(b < a)
        #expect(!(a < b))
        #expect(a != b)
        #expect(try d("-92233720368547758.1") < (try d("-92233720368547758.07")))
    }

    @Test("regression: zero written with more than 18 places is zero, not an overflow")
    func zeroBeyondEighteenPlaces() throws {
        #expect(try d("0e-30").description == "0.000000000000000000")
        #expect(try d("-0.0000000000000000000000").description == "0.000000000000000000")
        #expect(throws: ExactDecimal.Failure.overflow) { try d("1e-19") }
    }
}
