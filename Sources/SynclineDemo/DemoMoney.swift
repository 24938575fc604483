/// Money as the upstream systems write it: cents as a two-decimal string.
enum DemoMoney {
    /// `129900` → `1299.00`, `-5` → `-0.05`.
    static func text(_ cents: Int64) -> String {
        let sign = cents < 0 ? "-" : ""
        let magnitude = cents.magnitude
        let fraction = magnitude % 100
        return "\(sign)\(magnitude / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }
}
