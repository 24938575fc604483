import Testing
import SynclineMapping

@Suite struct PhoneNormalizerTests {
    static let china: [(String, String)] = [
        ("+86 138-0013-8000", "+8613800138000"),
        ("8613800138000", "+8613800138000"),
        ("0086 138 0013 8000", "+8613800138000"),
        ("138 0013 8000", "+8613800138000"),
        ("13800138000", "+8613800138000"),
        ("+86-13800138000", "+8613800138000"),
        ("１３８００１３８０００", "+8613800138000"),
        ("  13800138000  ", "+8613800138000"),
        ("010-6552 9988", "+861065529988"),
        ("(021) 5888 1234", "+862158881234"),
        ("0755-8888 6666", "+8675588886666"),
        ("0571-8765432", "+865718765432"),
        ("+86 (0)10 6552 9988", "+861065529988"),
        ("400-810-8888", "+864008108888"),
        ("+1 (415) 555-0100", "+14155550100"),
        ("+44 20 7946 0958", "+442079460958"),
        ("+852 2123 4567", "+85221234567"),
    ]

    @Test(arguments: china)
    func normalisesChineseForms(_ input: String, _ expected: String) throws {
        let phone = try #require(PhoneNormalizer(defaultRegion: "CN"))
        #expect(try phone.normalize(input) == expected)
    }

    static let us: [(String, String)] = [
        ("415-555-0100", "+14155550100"),
        ("(415) 555-0100", "+14155550100"),
        ("1 415 555 0100", "+14155550100"),
        ("+1 (415) 555-0100", "+14155550100"),
        ("415.555.0100", "+14155550100"),
        ("011 86 138 0013 8000", "+8613800138000"),
    ]

    @Test(arguments: us)
    func normalisesUSForms(_ input: String, _ expected: String) throws {
        let phone = try #require(PhoneNormalizer(defaultRegion: "US"))
        #expect(try phone.normalize(input) == expected)
    }

    static let bad: [(String, String, String)] = [
        ("CN", "138 0013", "too short"),
        ("CN", "1380013800012", "too long"),
        ("CN", "138-0013-800a", "letters"),
        ("CN", "call me", "letters"),
        ("CN", "12345678901", "not a Chinese mobile"),
        ("CN", "010-6552 998", "too short"),
        ("CN", "0755-8888 66661", "too long"),
        ("CN", "", "no digits"),
        ("CN", "138*0013*8000", "character"),
        ("CN", "13+800138000", "'+'"),
        ("US", "555-0100", "too short"),
        ("US", "415-555-01000", "too long"),
        ("US", "015-555-0100", "2–9"),
        ("CN", "+44 12", "too short"),
        ("CN", "+44 1234 5678 9012 345", "too long"),
    ]

    @Test(arguments: bad)
    func rejectsWithReason(_ region: String, _ input: String, _ reason: String) throws {
        let phone = try #require(PhoneNormalizer(defaultRegion: region))
        do {
            let result = try phone.normalize(input)
            Issue.record("'\(input)' normalised to \(result)")
        } catch {
            #expect(error.reason.contains(reason), "'\(input)': \(error.reason)")
        }
    }

    @Test func unknownRegion() {
        #expect(PhoneNormalizer(defaultRegion: "XX") == nil)
        #expect(PhoneNormalizer(defaultRegion: "cn") != nil)
    }
    @Test("regression (fuzz/normalizers): a national number starting with 0 in a region without a trunk prefix is refused, so every output normalises to itself")
    func leadingZeroAfterTheCountryCode() throws {
        let hongKong = try #require(PhoneNormalizer(defaultRegion: "HK"))
        #expect(throws: PhoneNormalizer.Failure.self) { try hongKong.normalize("010-88888888") }
        #expect(throws: PhoneNormalizer.Failure.self) { try hongKong.normalize("+852 00 2123 4567") }
        #expect(try hongKong.normalize("+852 (0) 2123 4567") == "+85221234567", "one written trunk 0 is still dropped")
        #expect(try hongKong.normalize("2123 4567") == "+85221234567")
        let italy = try #require(PhoneNormalizer(defaultRegion: "CN"))
        #expect(try italy.normalize("+39 06 1234 5678") == "+390612345678", "Italian fixed lines keep their 0")
        for region in PhoneNormalizer.regions.keys.sorted() {
            let phone = try #require(PhoneNormalizer(defaultRegion: region))
            for input in ["010-88888888", "0086 138 0013 8000", "(021) 5888 1234", "+44 20 7946 0958", "0 20 7946 0958", "2123 4567"] {
                guard let once = try? phone.normalize(input) else { continue }
                #expect(try phone.normalize(once) == once, "\(region): \(input) → \(once)")
            }
        }
    }
}
