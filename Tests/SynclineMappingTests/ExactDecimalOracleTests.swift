import Foundation
import SynclineMapping
import SynclineTestSupport
import Testing

/// ExactDecimal against an independent implementation: `Tests/Oracles/decimal_oracle.py` generates
/// 120,000 cases from a fixed seed (parse, + − × ÷, round, comparisons over the whole range) and
/// says, with Python's `decimal` module, what each must give. Deterministic; about a second.
@Suite("ExactDecimal against the Python decimal oracle")
struct ExactDecimalOracleTests {
    static let script = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Oracles/decimal_oracle.py")

    static func oracleLines(count: Int) throws -> [Substring] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path, "--count", String(count)]
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let errorText = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw OracleFailure(message: "python3 \(script.path) exited \(process.terminationStatus): \(errorText)")
        }
        return String(decoding: data, as: UTF8.self).split(separator: "\n")
    }

    struct OracleFailure: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }

    static func outcome(_ body: () throws(ExactDecimal.Failure) -> ExactDecimal) -> String {
        do {
            return "ok " + (try body()).description
        } catch {
            return "err \(error)"
        }
    }

    /// What ExactDecimal gives for one oracle line.
    static func actual(_ op: Substring, _ a: String, _ b: String) -> String {
        if op == "parse" { return outcome { () throws(ExactDecimal.Failure) in try ExactDecimal.parse(a) } }
        guard let left = try? ExactDecimal.parse(a) else { return "operand '\(a)' does not parse" }
        if op == "round" {
            guard let places = Int(b) else { return "bad places '\(b)'" }
            return outcome { () throws(ExactDecimal.Failure) in try left.rounded(to: places) }
        }
        guard let right = try? ExactDecimal.parse(b) else { return "operand '\(b)' does not parse" }
        switch op {
        case "add": return outcome { () throws(ExactDecimal.Failure) in try left.adding(right) }
        case "sub": return outcome { () throws(ExactDecimal.Failure) in try left.subtracting(right) }
        case "mul": return outcome { () throws(ExactDecimal.Failure) in try left.multiplied(by: right) }
        case "div": return outcome { () throws(ExactDecimal.Failure) in try left.divided(by: right) }
        case "cmp":
            // Every comparison operator, and == / hashing, must agree with one answer.
            let less = left < right, greater = left > right, equal = left == right
            guard [less, greater, equal].filter({ $0 }).count == 1, (left <= right) == !greater, (left >= right) == !less,
                !equal || left.hashValue == right.hashValue
            else { return "inconsistent: < \(less) > \(greater) == \(equal)" }
            return less ? "<" : (equal ? "=" : ">")
        default: return "unknown op \(op)"
        }
    }

    @Test("at least 100,000 generated cases agree with Python's decimal module exactly (value, scale and error)")
    func agreesWithPythonDecimal() async throws {
        // Off the cooperative pool: it waits on python and then checks 120,000 cases.
        let (lineCount, mismatches, checked) = try await offThePool { try Self.check(count: 120_000) }
        #expect(lineCount == 120_000)
        #expect(mismatches.isEmpty, "\(mismatches.count) of \(lineCount) cases disagree; first: \(mismatches.prefix(20).joined(separator: "\n"))")
        for op in ["parse", "add", "sub", "mul", "div", "round", "cmp"] {
            #expect(checked[op, default: 0] > 15_000, "\(op) has too few cases")
        }
    }

    /// Runs `count` oracle cases: how many lines came back, the disagreements, and cases per operation.
    static func check(count: Int) throws -> (Int, [String], [String: Int]) {
        let lines = try Self.oracleLines(count: count)
        var mismatches: [String] = []
        var checked: [String: Int] = [:]
        for line in lines {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard fields.count == 4 else {
                mismatches.append("malformed oracle line: \(line)")
                continue
            }
            let got = Self.actual(fields[0], String(fields[1]), String(fields[2]))
            checked[String(fields[0]), default: 0] += 1
            if got != fields[3] { mismatches.append("\(fields[0]) '\(fields[1])' '\(fields[2])': expected \(fields[3]), got \(got)") }
        }
        return (lines.count, mismatches, checked)
    }
}
