@testable import SynclineMapping

/// ExactDecimal: parse two numbers (text split at 0x00; a third part picks `round` places) and run
/// every operation. Nothing may trap, and what succeeds must be exact: a + b − b == a, (a × b) agrees in
/// sign, description parses back to the same value, comparisons are consistent.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDecimal(_ data: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let parts = FuzzInput.parts(FuzzInput.bytes(data, count), limit: 3)
    let texts = parts.map(FuzzInput.text)
    guard let a = try? ExactDecimal.parse(texts[0]) else { return 0 }
    require((try? ExactDecimal.parse(a.description)) == a, "description of \(texts[0]) does not parse back")
    let places = texts.count > 2 ? (Int(texts[2].prefix(3)) ?? 2) : 2
    _ = try? a.rounded(to: places)
    _ = a.rescaledExactly(to: places)
    _ = a.isInteger
    _ = a.normalized
    guard texts.count > 1, let b = try? ExactDecimal.parse(texts[1]) else { return 0 }
    let less = a < b, greater = b < a, equal = a == b
    require([less, greater, equal].filter { $0 }.count == 1, "\(a) vs \(b): < \(less) > \(greater) == \(equal)")
    if let sum = try? a.adding(b), let back = try? sum.subtracting(b) {
        require(back == a, "\(a) + \(b) − \(b) = \(back)")
    }
    if let difference = try? a.subtracting(b) {
        require((difference < .zero) == less && (difference == .zero) == equal, "sign of \(a) − \(b) = \(difference)")
    }
    if let product = try? a.multiplied(by: b), product != .zero {
        require((product < .zero) == ((a < .zero) != (b < .zero)), "sign of \(a) × \(b) = \(product)")
    }
    if let quotient = try? a.divided(by: b), quotient != .zero {
        require((quotient < .zero) == ((a < .zero) != (b < .zero)), "sign of \(a) ÷ \(b) = \(quotient)")
        _ = try? quotient.rounded(to: places)
    }
    return 0
}
