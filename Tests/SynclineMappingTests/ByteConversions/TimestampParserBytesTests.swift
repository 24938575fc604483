@testable import SynclineMapping
import SynclineTestSupport
import Testing

/// The byte-level timestamp reading against the reference parser: on every input, the date-time
/// grammar gives the same value or the same refusal; the epoch and text readers, when they answer,
/// answer what the reference does, and they answer for the plain forms records carry.
@Suite struct TimestampParserBytesTests {
    static let seeds = [
        "2024-05-01T12:00:00+08:00", "2024-05-01T04:00:00Z", "2024-05-01T04:00:00.123456Z", "2024-05-01T04:00:00.5Z",
        "2024-05-01t04:00:00z", "2024-04-30T23:30:00-05:00", "2024-05-01T12:00:00+0800", "2024-05-01T12:00:00+08",
        "2024-05-01 12:00:00", "2024/05/01 12:00:00", "2024-05-01 12:00", "2024-05-01", "2024-02-29T00:00:00Z",
        "2023-02-29T00:00:00Z", "9999-12-31T23:59:59.999Z", "0001-01-01T00:00:00Z", "2024-05-01T12:00:00 +08:00",
        "2024-05-01T24:00:00Z", "2024-05-01T23:59:60Z", "2024-13-01", " 2024-05-01T04:00:00Z ", "\u{3000}2024-05-01\u{3000}",
        "1714564800", "1714564800000", "1714564800123", "1714564800.5", "1714564800000000", "1714564800000000000", "0",
        "-1714564800", "0123", "", "2024-05-01T04:00:00,25+05:30", "2024-05-01T04:00",
    ]
    static let alphabet = ["0", "1", "2", "9", "-", "/", "T", "t", " ", ":", ".", ",", "Z", "z", "+", "x", "\u{3000}", "5", "3"]
    static let inputs = ByteConversionCorpus.mutations(of: seeds, alphabet: alphabet, count: 20_000, seed: 11)
    static let parsers = [TimestampParser.utc, TimestampParser(defaultZone: .fixed(seconds: 8 * 3600)), TimestampParser(defaultZone: .fixed(seconds: -5 * 3600))]

    @Test func dateTimeGrammarMatchesTheReferenceExactly() {
        var accepted = 0
        for parser in Self.parsers {
            for text in Self.inputs {
                for requireUTC in [false, true] {
                    let reference = try? parser.parseDateTimeReference(Array(text.utf8), original: text, requireUTC: requireUTC)
                    let fast = ByteConversionCorpus.withBytes(text) { parser.parseDateTime(bytes: $0, $1, $2, requireUTC: requireUTC) }
                    #expect(fast == reference, "\(text) requireUTC \(requireUTC)")
                    if fast != nil { accepted += 1 }
                }
            }
        }
        #expect(accepted > 1_500, "the mutations must reach the accepting side")
    }

    @Test func textReadingAgreesWhenItAnswersAndAnswersThePlainForms() {
        var answered = 0
        for parser in Self.parsers {
            for text in Self.inputs {
                let reference = try? parser.millisecondsReference(text)
                let fast = ByteConversionCorpus.withBytes(text) { parser.milliseconds(bytes: $0, $1, $2) }
                if let fast {
                    answered += 1
                    #expect(fast == reference, "\(text)")
                }
                #expect((try? parser.milliseconds(text)) == reference, "the String entry point: \(text)")
            }
        }
        #expect(answered > 4_000)
        for text in ["2024-05-01T12:00:00+08:00", "1714564800000", "2024-05-01 12:00:00", " 1714564800 "] {
            #expect(ByteConversionCorpus.withBytes(text) { TimestampParser.utc.milliseconds(bytes: $0, $1, $2) } != nil, "\(text)")
        }
    }

    @Test func epochDigitsMatchTheReference() {
        var random = SplitMix64(state: 7)
        var texts = ["0", "1", "99999999999", "100000000000", "99999999999999", "100000000000000", "99999999999999999",
                     "100000000000000000", "253402300799999", "253402300800000", "999999999999999999", "0123", "-5", "1.5"]
        for _ in 0..<20_000 {
            let digits = 1 + Int(random.next() % 18)
            var text = String(1 + random.next() % 9)
            for _ in 1..<digits { text += String(random.next() % 10) }
            texts.append(text)
        }
        for text in texts {
            let reference = try? TimestampParser.epochMillisecondsReference(text)
            let fast = ByteConversionCorpus.withBytes(text) { TimestampParser.epochMilliseconds(bytes: $0, $1, $2) }
            if let fast { #expect(fast == reference, "\(text)") }
            let plain = text.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 } && (text.count == 1 || !text.hasPrefix("0"))
            if plain { #expect(fast == reference, "plain digits are decided on the bytes: \(text)") }
            #expect((try? TimestampParser.epochMilliseconds(text)) == reference, "\(text)")
        }
    }

    @Test func canonicalCheckMatchesTheReference() {
        for text in Self.inputs {
            let bytes = Array(text.utf8)
            let reference = bytes.count >= 20 && bytes[10] == UInt8(ascii: "T") && bytes.last == UInt8(ascii: "Z")
                && (try? TimestampParser.utc.parseDateTimeReference(bytes, original: text, requireUTC: true)) != nil
            #expect(TimestampParser.isCanonicalUTC(text) == reference, "\(text)")
        }
    }
}
