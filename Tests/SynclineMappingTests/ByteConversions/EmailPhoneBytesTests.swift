@testable import SynclineMapping
import SynclineTestSupport
import Testing

/// The byte-level email and phone normalisation against the `String` versions (the reference):
/// on printable ASCII they must decide exactly as the reference does and write its result as a
/// JSON string; on anything else they may only decline.
@Suite struct EmailPhoneBytesTests {
    static func isPrintableASCII(_ text: String) -> Bool { text.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F } }

    static func fastJSON(_ text: String, _ body: (UnsafeBufferPointer<UInt8>, Int, Int, inout [UInt8]) -> Bool) -> String? {
        var out: [UInt8] = Array("prefix".utf8)
        let wrote = ByteConversionCorpus.withBytes(text) { body($0, $1, $2, &out) }
        guard wrote else {
            #expect(out == Array("prefix".utf8), "a declined value leaves the output as it was: \(text)")
            return nil
        }
        return String(decoding: out.dropFirst(6), as: UTF8.self)
    }

    static let emailSeeds = [
        "Li.Lei@Example.CN", " USER1@QQ.COM ", "lucy.wang@example.com", "mailto:a.b@c.de", "MAILTO:x@Y.org", "<ann@b.io>",
        "a..b@c.de", ".a@b.cd", "a.@b.cd", "a@b", "a@b.c", "a@b.12", "a@-b.cd", "a@b-.cd", "a@b..cd", "@b.cd", "a@", "a@@b.cd",
        "a b@c.de", "first+tag@sub.domain.co.uk", "o'hara@x.ie", "用户@例子.中国", "a@b.cd\t", "\"quoted\"@x.cd",
        String(repeating: "x", count: 64) + "@a.cd", String(repeating: "x", count: 65) + "@a.cd", "a@" + String(repeating: "d", count: 64) + ".cd",
        "mailto:", "<>", "<a@b.cd", "x@Ex_ample.com",
    ]
    static let emailAlphabet = ["@", ".", "-", "<", ">", "A", "z", "9", " ", "_", "+", "mailto:", "M", ":", "\"", "é", "\t", ".."]

    @Test func emailMatchesTheReference() {
        let inputs = ByteConversionCorpus.mutations(of: Self.emailSeeds, alphabet: Self.emailAlphabet, count: 20_000, seed: 5)
        let written = Self.compare(inputs, decidesUpTo: .max, label: "email") { text in
            (Self.fastJSON(text) { EmailNormalizer.appendNormalizedJSON($0, $1, $2, to: &$3) },
             (try? EmailNormalizer.normalize(text)).map { String(decoding: JSONWriter.bytes(.string($0)), as: UTF8.self) })
        }
        #expect(written > 1_500)
    }

    /// Runs every input through `pair` (byte-level JSON, reference JSON): a written value must be
    /// the reference's; a declined printable-ASCII input up to `decidesUpTo` bytes must be one the
    /// reference refuses. Returns how many the byte level wrote.
    static func compare(_ inputs: [String], decidesUpTo limit: Int, label: String, _ pair: (String) -> (fast: String?, reference: String?)) -> Int {
        var written = 0
        for text in inputs {
            let (fast, reference) = pair(text)
            if let fast {
                written += 1
                #expect(fast == reference, "\(label): \(text)")
            } else if isPrintableASCII(text), text.utf8.count <= limit {
                #expect(reference == nil, "\(label): printable ASCII is decided on the bytes: \(text)")
            }
        }
        return written
    }

    static let phoneSeeds = [
        "138 0013 8000", "+86 139-1234-5678", "0086 138 0013 8000", "010-6552 9988", "13800138000", "8613800138000", "(021) 5888 1234",
        "+1 (415) 555-0100", "1 415 555 0100", "011 44 20 7946 0958", "+44 20 7946 0958", "+39 06 1234 5678", "+852 2345 6789",
        "+7 495 123 4567", "400-123-4567", "800 123 4567", "0755 1234 5678", "+86 (0)10 6552 9988", "12345", "+", "++86 138",
        "138a0013", "+0 123", "0000 1234 5678", "+999 1234 5678", "+852 0234 5678", "+1 234 567 8901 2", "13800138000000000",
        "1380013800", "+86 10 1234", "+60 3 1234 5678", "+65 6123 4567",
    ]
    static let phoneAlphabet = ["0", "1", "8", "6", "2", "9", "+", " ", "-", "(", ")", ".", "/", "a", "00", "86", "\u{FF11}", "\u{3000}"]

    @Test(arguments: ["CN", "US", "GB", "HK", "SG", "JP", "AU"])
    func phoneMatchesTheReference(_ region: String) throws {
        let phone = try #require(PhoneNormalizer(defaultRegion: region))
        let inputs = ByteConversionCorpus.mutations(of: Self.phoneSeeds, alphabet: Self.phoneAlphabet, count: 20_000, seed: 9)
        let written = Self.compare(inputs, decidesUpTo: 64, label: region) { text in
            (Self.fastJSON(text) { phone.appendNormalizedJSON($0, $1, $2, to: &$3) }, (try? phone.normalize(text)).map { "\"\($0)\"" })
        }
        #expect(written > 2_000)
    }
}
