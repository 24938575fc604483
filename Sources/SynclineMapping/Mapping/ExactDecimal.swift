/// An exact base-10 number (a 64-bit significand and 0…18 digits after the point) for money and
/// other decimals: never binary floating point, so `0.1 + 0.2 == 0.3` and `100.00 − 3.20 − 0.35 == 96.45`.
public struct ExactDecimal: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// value = significand / 10^scale
    public private(set) var significand: Int64
    public private(set) var scale: Int

    /// The most digits after the point any value keeps.
    public static let maxScale = 18

    /// Why text or arithmetic did not give a decimal.
    public enum Failure: Error, Sendable, Equatable {
        case notANumber
        case overflow
        case divisionByZero
    }

    static let powers: [Int64] = (0...18).map { exponent in
        var value: Int64 = 1
        for _ in 0..<exponent { value *= 10 }
        return value
    }

    public init(significand: Int64, scale: Int) {
        self.significand = significand
        self.scale = max(0, min(scale, Self.maxScale))
    }

    public init(_ integer: Int64) {
        self.init(significand: integer, scale: 0)
    }

    public static let zero = ExactDecimal(0)

    /// Parses `-12.30`, `12`, `1.5e2`, `+3` (a JSON number literal, optionally with a leading `+`).
    /// No thousands separators, no spaces inside, no `NaN`/`Infinity`.
    public static func parse(_ text: some StringProtocol) throws(Failure) -> ExactDecimal {
        var digits: [UInt8] = []
        digits.reserveCapacity(20)
        var negative = false
        var fractionDigits = 0
        var exponent = 0
        var sawDigit = false
        var utf8 = Array(text.utf8)[...]
        if let first = utf8.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") {
            negative = first == UInt8(ascii: "-")
            utf8 = utf8.dropFirst()
        }
        var inFraction = false
        var index = utf8.startIndex
        while index < utf8.endIndex {
            let byte = utf8[index]
            if byte >= 0x30 && byte <= 0x39 {
                sawDigit = true
                digits.append(byte - 0x30)
                if inFraction { fractionDigits += 1 }
            } else if byte == UInt8(ascii: "."), !inFraction, sawDigit {
                inFraction = true
                // a digit must follow
                guard index + 1 < utf8.endIndex, utf8[index + 1] >= 0x30, utf8[index + 1] <= 0x39 else { throw .notANumber }
            } else if byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E"), sawDigit {
                var rest = utf8[(index + 1)...]
                var exponentNegative = false
                if let sign = rest.first, sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") {
                    exponentNegative = sign == UInt8(ascii: "-")
                    rest = rest.dropFirst()
                }
                guard !rest.isEmpty, rest.count <= 4, rest.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { throw .notANumber }
                var value = 0
                for byte in rest { value = value * 10 + Int(byte - 0x30) }
                exponent = exponentNegative ? -value : value
                break
            } else {
                throw .notANumber
            }
            index += 1
        }
        guard sawDigit else { throw .notANumber }
        // Keep the written scale (12.30 stays 12.30); drop trailing zeros only beyond 18 places.
        var start = 0
        while start < digits.count - 1, digits[start] == 0, digits.count - start > fractionDigits + 1 { start += 1 }
        var end = digits.count
        var scale = fractionDigits - exponent
        while scale > maxScale, end - start > 1, digits[end - 1] == 0 {
            end -= 1
            scale -= 1
        }
        if scale > maxScale {
            // Zero written with more than 18 places ("0e-30") is zero at 18 places.
            if digits[start..<end].allSatisfy({ $0 == 0 }) { return ExactDecimal(significand: 0, scale: maxScale) }
            // Only zeros could be dropped above; more than 18 significant fractional digits cannot be exact.
            throw .overflow
        }
        // Accumulated with the sign applied digit by digit, so Int64.min (whose magnitude does
        // not fit in Int64) parses.
        let sign: Int64 = negative ? -1 : 1
        var significand: Int64 = 0
        for digit in digits[start..<end] {
            let (times, overflow1) = significand.multipliedReportingOverflow(by: 10)
            let (plus, overflow2) = times.addingReportingOverflow(sign * Int64(digit))
            guard !overflow1, !overflow2 else { throw .overflow }
            significand = plus
        }
        while scale < 0 {
            let (times, overflow) = significand.multipliedReportingOverflow(by: 10)
            guard !overflow else { throw .overflow }
            significand = times
            scale += 1
        }
        return ExactDecimal(significand: significand, scale: scale)
    }

    /// The text with exactly `scale` digits after the point (`12.30`, `-0.05`, `7`).
    public var description: String {
        let magnitude = significand.magnitude
        var text = String(magnitude)
        if scale > 0 {
            if text.count <= scale { text = String(repeating: "0", count: scale - text.count + 1) + text }
            text.insert(".", at: text.index(text.endIndex, offsetBy: -scale))
        }
        return significand < 0 ? "-" + text : text
    }

    public var isInteger: Bool { scale == 0 || significand % Self.powers[scale] == 0 }

    /// The smallest scale that represents this value exactly.
    public var normalized: ExactDecimal {
        var result = self
        while result.scale > 0, result.significand % 10 == 0 {
            result.significand /= 10
            result.scale -= 1
        }
        return result
    }

    /// The value with exactly `newScale` digits, or nil when that would drop non-zero digits (or overflow).
    public func rescaledExactly(to newScale: Int) -> ExactDecimal? {
        let target = max(0, min(newScale, Self.maxScale))
        let value = normalized
        if value.scale > target { return nil }
        let (times, overflow) = value.significand.multipliedReportingOverflow(by: Self.powers[target - value.scale])
        return overflow ? nil : ExactDecimal(significand: times, scale: target)
    }

    /// Rounds half away from zero (commercial rounding, 四舍五入) to `newScale` digits.
    public func rounded(to newScale: Int) throws(Failure) -> ExactDecimal {
        let target = max(0, min(newScale, Self.maxScale))
        if target >= scale {
            guard let value = rescaledExactly(to: target) else { throw .overflow }
            return value
        }
        let divisor = Self.powers[scale - target]
        var quotient = significand / divisor
        let remainder = significand % divisor
        if remainder.magnitude * 2 >= divisor.magnitude { quotient += significand < 0 ? -1 : 1 }
        return ExactDecimal(significand: quotient, scale: target)
    }

    static func aligned(_ lhs: ExactDecimal, _ rhs: ExactDecimal) throws(Failure) -> (Int64, Int64, Int) {
        let scale = max(lhs.scale, rhs.scale)
        let (left, o1) = lhs.significand.multipliedReportingOverflow(by: powers[scale - lhs.scale])
        let (right, o2) = rhs.significand.multipliedReportingOverflow(by: powers[scale - rhs.scale])
        if o1 || o2 {
            // Try again after dropping trailing zeros.
            let (l, r) = (lhs.normalized, rhs.normalized)
            if l.scale != lhs.scale || r.scale != rhs.scale { return try aligned(l, r) }
            throw .overflow
        }
        return (left, right, scale)
    }

    public func adding(_ other: ExactDecimal) throws(Failure) -> ExactDecimal {
        let (left, right, scale) = try Self.aligned(self, other)
        let (sum, overflow) = left.addingReportingOverflow(right)
        guard !overflow else { throw .overflow }
        return ExactDecimal(significand: sum, scale: scale)
    }

    public func subtracting(_ other: ExactDecimal) throws(Failure) -> ExactDecimal {
        let (left, right, scale) = try Self.aligned(self, other)
        let (difference, overflow) = left.subtractingReportingOverflow(right)
        guard !overflow else { throw .overflow }
        return ExactDecimal(significand: difference, scale: scale)
    }

    /// The exact product, rounded half away from zero to fewer places (never below 0) when it has
    /// more than 18 or does not fit in 64 bits.
    public func multiplied(by other: ExactDecimal) throws(Failure) -> ExactDecimal {
        let negative = (significand < 0) != (other.significand < 0)
        // Both magnitudes are at most 2^63, so the exact product fits in 128 bits.
        let product = UInt128(significand.magnitude) * UInt128(other.significand.magnitude)
        let exactScale = scale + other.scale
        var target = min(exactScale, Self.maxScale)
        while target >= 0 {
            let magnitude = Self.roundedQuotient(product, Self.widePowers[exactScale - target])
            if magnitude <= UInt128(Int64.max) { return Self.signed(magnitude, negative: negative, scale: target) }
            target -= 1
        }
        throw .overflow
    }

    /// Exact when possible; otherwise rounded half away from zero at the most places (at most 18)
    /// whose result fits in 64 bits.
    public func divided(by other: ExactDecimal) throws(Failure) -> ExactDecimal {
        guard other.significand != 0 else { throw .divisionByZero }
        let negative = (significand < 0) != (other.significand < 0)
        let dividend = UInt128(significand.magnitude)
        let divisor = UInt128(other.significand.magnitude)
        var target = Self.maxScale
        while target >= 0 {
            // quotient at `target` places = dividend · 10^(target + other.scale − scale) / divisor
            let exponent = target + other.scale - scale
            var numerator = dividend
            var denominator = divisor
            if exponent >= 0 {
                let (scaled, overflow) = dividend.multipliedReportingOverflow(by: Self.widePowers[exponent])
                // A numerator past 2^128 over a divisor below 2^64 cannot give a 64-bit quotient.
                if overflow {
                    target -= 1
                    continue
                }
                numerator = scaled
            } else {
                denominator = divisor * Self.widePowers[-exponent]
            }
            let magnitude = Self.roundedQuotient(numerator, denominator)
            if magnitude <= UInt128(Int64.max) {
                return Self.signed(magnitude, negative: negative, scale: target).normalized
            }
            target -= 1
        }
        throw .overflow
    }

    /// 10^0 … 10^36 in 128 bits (a product's scale reaches 36; 10^38 is the last power that fits).
    static let widePowers: [UInt128] = (0...36).map { exponent in
        var value: UInt128 = 1
        for _ in 0..<exponent { value *= 10 }
        return value
    }

    /// numerator / denominator rounded half away from zero (the quotient of magnitudes).
    static func roundedQuotient(_ numerator: UInt128, _ denominator: UInt128) -> UInt128 {
        let (quotient, remainder) = numerator.quotientAndRemainder(dividingBy: denominator)
        // remainder < denominator, so denominator − remainder cannot wrap; quotient + 1 cannot
        // overflow because rounding up needs a denominator of at least 2.
        return remainder >= denominator - remainder ? quotient + 1 : quotient
    }

    /// A magnitude known to be at most Int64.max, with its sign.
    static func signed(_ magnitude: UInt128, negative: Bool, scale: Int) -> ExactDecimal {
        let value = Int64(truncatingIfNeeded: magnitude)
        return ExactDecimal(significand: negative ? -value : value, scale: scale)
    }

    /// Exact: both sides are brought to the larger scale in 128 bits (|significand| · 10^18 < 2^123).
    public static func < (lhs: ExactDecimal, rhs: ExactDecimal) -> Bool {
        let scale = max(lhs.scale, rhs.scale)
        let left = Int128(lhs.significand) * Int128(widePowers[scale - lhs.scale])
        let right = Int128(rhs.significand) * Int128(widePowers[scale - rhs.scale])
        return left < right
    }

    /// Numeric equality (`1.50 == 1.5`).
    public static func == (lhs: ExactDecimal, rhs: ExactDecimal) -> Bool {
        let left = lhs.normalized
        let right = rhs.normalized
        return left.significand == right.significand && left.scale == right.scale
    }

    public func hash(into hasher: inout Hasher) {
        let value = normalized
        hasher.combine(value.significand)
        hasher.combine(value.scale)
    }
}
