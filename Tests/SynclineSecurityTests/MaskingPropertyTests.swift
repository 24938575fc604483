import Foundation
import Logging
import SynclineMapping
import SynclineSecurity
import SynclineTestSupport
import Testing

/// Generated phones (every format `PhoneNormalizer` accepts: separators, parentheses, `+`/`00`
/// prefixes, full-width digits, bare national numbers) and generated emails (ASCII and
/// internationalised), written into log lines the ways code writes them, never reach the log
/// unmasked.
@Suite("Masking property test: generated phones and emails never reach a log line unmasked")
struct MaskingPropertyTests {
    /// The same cases on every run; the seed is in each failure message.
    typealias Generator = SplitMix64

    static func digits(_ count: Int, _ rng: inout Generator, first: ClosedRange<Int> = 0...9) -> String {
        (0..<count).map { String($0 == 0 ? Int.random(in: first, using: &rng) : Int.random(in: 0...9, using: &rng)) }.joined()
    }

    static func fullWidth(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map { scalar in
            switch scalar.value {
            case 0x30...0x39: return Unicode.Scalar(scalar.value - 0x30 + 0xFF10) ?? scalar
            case 0x2B: return Unicode.Scalar(0xFF0B) ?? scalar
            default: return scalar
            }
        }))
    }

    /// A phone in one of the written forms, with the region it normalises in.
    static func phone(_ rng: inout Generator) -> (text: String, region: String) {
        let mobile = "1" + String(Int.random(in: 3...9, using: &rng)) + digits(9, &rng)
        let (m1, m2, m3) = (mobile.prefix(3), mobile.dropFirst(3).prefix(4), mobile.suffix(4))
        let area = ["21", "10", "755", "571"].randomElement(using: &rng) ?? "21"
        let subscriber = digits(8, &rng, first: 2...9)
        let (s1, s2) = (subscriber.prefix(4), subscriber.suffix(4))
        let npa = digits(3, &rng, first: 2...9)
        let nxx = digits(3, &rng, first: 2...9)
        let line = digits(4, &rng)
        let forms: [(String, String)] = [
            ("\(mobile)", "CN"), ("\(m1) \(m2) \(m3)", "CN"), ("\(m1)-\(m2)-\(m3)", "CN"), ("\(m1).\(m2).\(m3)", "CN"),
            ("+86\(mobile)", "CN"), ("+86 \(m1) \(m2) \(m3)", "CN"), ("+86-\(m1)-\(m2)-\(m3)", "CN"), ("0086 \(m1) \(m2) \(m3)", "CN"),
            ("0086\(mobile)", "CN"), ("86\(mobile)", "CN"), ("(+86) \(m1) \(m2) \(m3)", "CN"), ("+86 \(m1)\u{2014}\(m2)\u{2014}\(m3)", "CN"),
            (fullWidth(mobile), "CN"), (fullWidth("+86 \(m1) \(m2) \(m3)"), "CN"), ("\(m1)\u{3000}\(m2)\u{3000}\(m3)", "CN"),
            ("(0\(area)) \(s1) \(s2)", "CN"), ("0\(area)-\(subscriber)", "CN"), ("0\(area) \(s1) \(s2)", "CN"), ("0\(area)\(subscriber)", "CN"),
            ("+86 \(area) \(s1) \(s2)", "CN"), ("（0\(area)）\(s1)-\(s2)", "CN"),
            ("(\(npa)) \(nxx)-\(line)", "US"), ("\(npa) \(nxx) \(line)", "US"), ("\(npa)-\(nxx)-\(line)", "US"), ("\(npa).\(nxx).\(line)", "US"),
            ("+1 (\(npa)) \(nxx)-\(line)", "US"), ("+1 \(npa) \(nxx) \(line)", "US"), ("1 \(npa) \(nxx) \(line)", "US"), ("1-\(npa)-\(nxx)-\(line)", "US"),
            ("\(npa)\(nxx)\(line)", "US"), ("+1\(npa)\(nxx)\(line)", "US"), ("1\(npa)\(nxx)\(line)", "US"), ("011 86 \(m1) \(m2) \(m3)", "US"),
            ("+44 20 \(s1) \(s2)", "GB"), ("+44 7700 \(digits(6, &rng))", "GB"),
        ]
        return forms.randomElement(using: &rng) ?? forms[0]
    }

    static func email(_ rng: inout Generator) -> String {
        let locals = ["zhang.san", "li_lei", "a.b+crm", "josé.garcía", "张三", "müller.k", "o'neil".replacingOccurrences(of: "'", with: ""), "x" + digits(5, &rng)]
        let domains = ["example.com", "corp.example.cn", "例子.中国", "bücher.de", "mail.co.uk", "xn--fsq.com"]
        return (locals.randomElement(using: &rng) ?? "a") + "@" + (domains.randomElement(using: &rng) ?? "example.com")
    }

    /// The ways code puts a value into a log line.
    static func contexts(_ value: String) -> [(message: String, metadata: Logger.Metadata)] {
        let form = value.addingPercentEncoding(withAllowedCharacters: .alphanumerics)?.replacingOccurrences(of: "%20", with: "+") ?? value
        return [
            ("lookup failed for \(value)", [:]),
            ("call from \(value), answered", [:]),
            ("no customer (\(value)).", [:]),
            (#"payload {"phone":"\#(value)","email":"\#(value)"}"#, [:]),
            ("rejected", ["value": "\(value)"]),
            ("rejected", ["record": .string(#"{"contact":"\#(value)"}"#)]),
            ("twilio body From=\(form)&To=%2B14155550100&Body=call+me", [:]),
            ("form", ["body": .string("Email=\(form)&Body=hello+there")]),
        ]
    }

    static let seed: UInt64 = 0x5EC0_2026

    @Test("1,000 generated phones, each accepted by PhoneNormalizer, are masked in every log context")
    func phones() async throws {
        // Off the cooperative pool: thousands of masked log lines are seconds of CPU in a debug build.
        let leak = try await offThePool { () throws -> String? in
            var rng = Generator(state: Self.seed)
            let sink = CapturedLines()
            let logger = Logger(label: "prop") { _ in MaskingLogHandler(wrapping: CapturingHandler(sink: sink)) }
            for round in 0..<1_000 {
                let (text, region) = Self.phone(&rng)
                guard let normalizer = PhoneNormalizer(defaultRegion: region) else { return "round \(round): no normalizer for \(region)" }
                let e164 = try normalizer.normalize(text)
                for context in Self.contexts(text) {
                    let before = sink.lines.count
                    logger.warning("\(context.message)", metadata: context.metadata)
                    let line = sink.lines[before...].joined()
                    if line.contains(text) || line.contains(e164) || line.contains(String(e164.dropFirst())) {
                        return "round \(round) (seed \(Self.seed)): '\(text)' unmasked in: \(line)"
                    }
                }
            }
            return nil
        }
        #expect(leak == nil, "\(leak ?? "")")
    }

    @Test("1,000 generated emails (ASCII and internationalised) are masked in every log context")
    func emails() async throws {
        let leak = try await offThePool { () -> String? in
            var rng = Generator(state: Self.seed)
            let sink = CapturedLines()
            let logger = Logger(label: "prop") { _ in MaskingLogHandler(wrapping: CapturingHandler(sink: sink)) }
            for round in 0..<1_000 {
                let email = Self.email(&rng)
                for context in Self.contexts(email) {
                    let before = sink.lines.count
                    logger.warning("\(context.message)", metadata: context.metadata)
                    let line = sink.lines[before...].joined()
                    if line.contains(email) { return "round \(round) (seed \(Self.seed)): '\(email)' unmasked in: \(line)" }
                }
            }
            return nil
        }
        #expect(leak == nil, "\(leak ?? "")")
    }

    @Test("the formats the issue named: (415) 555-0100, 415 555 0100, non-ASCII emails, form-encoded Body=")
    func namedGaps() {
        let masker = PIIMasker()
        #expect(masker.mask("call (415) 555-0100 now") == "call (41*) ***-0100 now")
        #expect(masker.mask("call 415 555 0100") == "call 41* *** 0100")
        #expect(masker.mask("to 张三@例子.中国") == "to 张***@例子.中国")
        #expect(masker.mask("From=%2B14155550100&Body=call+me+at+home") == "From=+141****0100&Body=***")
        // Still not phones.
        for text in ["at 2024-06-01 12:00:00", "v1.2.3", "bootstrap 127.0.0.1:40123", "amount 1234.567", "offset 1717171717000"] {
            #expect(masker.mask(text) == text, "\(text)")
        }
    }
}
