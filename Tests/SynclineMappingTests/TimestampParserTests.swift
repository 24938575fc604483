import Testing
import SynclineMapping

@Suite struct TimestampParserTests {
    static let shanghai = TimestampParser(defaultZone: .fixed(seconds: 8 * 3600))

    static let cases: [(String, String)] = [
        ("2024-05-01T12:00:00+08:00", "2024-05-01T04:00:00.000Z"),
        ("2024-05-01T04:00:00Z", "2024-05-01T04:00:00.000Z"),
        ("2024-05-01T04:00:00.123456Z", "2024-05-01T04:00:00.123Z"),
        ("2024-05-01T04:00:00.5Z", "2024-05-01T04:00:00.500Z"),
        ("2024-05-01t04:00:00z", "2024-05-01T04:00:00.000Z"),
        ("2024-04-30T23:30:00-05:00", "2024-05-01T04:30:00.000Z"),
        ("2024-05-01T12:00:00+0800", "2024-05-01T04:00:00.000Z"),
        ("2024-05-01T12:00:00+08", "2024-05-01T04:00:00.000Z"),
        ("2024-05-01 12:00:00", "2024-05-01T04:00:00.000Z"),
        ("2024/05/01 12:00:00", "2024-05-01T04:00:00.000Z"),
        ("2024-05-01 12:00", "2024-05-01T04:00:00.000Z"),
        ("2024-05-01", "2024-04-30T16:00:00.000Z"),
        ("2024-02-29T00:00:00Z", "2024-02-29T00:00:00.000Z"),
        ("1714564800", "2024-05-01T12:00:00.000Z"),
        ("1714564800000", "2024-05-01T12:00:00.000Z"),
        ("1714564800123", "2024-05-01T12:00:00.123Z"),
        ("1714564800.5", "2024-05-01T12:00:00.500Z"),
        ("1714564800000000", "2024-05-01T12:00:00.000Z"),
        ("0", "1970-01-01T00:00:00.000Z"),
    ]

    @Test(arguments: cases)
    func parsesAndFormatsUTC(_ input: String, _ expected: String) throws {
        let ms = try Self.shanghai.milliseconds(input)
        #expect(TimestampParser.format(milliseconds: ms) == expected)
    }

    @Test func epochUnitByMagnitude() throws {
        // 99_999_999_999 is the largest value read as seconds (year 5138); 100_000_000_000 is ms (1973).
        #expect(try TimestampParser.epochMilliseconds("99999999999") == 99_999_999_999_000)
        #expect(try TimestampParser.epochMilliseconds("100000000000") == 100_000_000_000)
        #expect(try TimestampParser.epochMilliseconds("1700000000") == 1_700_000_000_000)
        #expect(try TimestampParser.epochMilliseconds("1700000000000") == 1_700_000_000_000)
    }

    @Test(arguments: [
        "2024-13-01T00:00:00Z", "2024-02-30T00:00:00Z", "2023-02-29T00:00:00Z", "2024-05-01T24:00:00Z",
        "2024-05-01T12:61:00Z", "2024-05-01T12:00:00+25:00", "yesterday", "2024-05-01T12:00:00 PST", "05/01/2024",
        "2024-5-1", "", "1714564800000.5",
    ])
    func rejectsBadTimestamps(_ input: String) {
        #expect(throws: TimestampParser.Failure.self) { try Self.shanghai.milliseconds(input) }
    }

    @Test func namedZoneAppliesDaylightSaving() throws {
        let zone = try #require(TimestampParser.Zone("America/New_York"))
        let parser = TimestampParser(defaultZone: zone)
        #expect(TimestampParser.format(milliseconds: try parser.milliseconds("2024-07-01 12:00:00")) == "2024-07-01T16:00:00.000Z")
        #expect(TimestampParser.format(milliseconds: try parser.milliseconds("2024-01-15 12:00:00")) == "2024-01-15T17:00:00.000Z")
        #expect(TimestampParser.Zone("Mars/Olympus") == nil)
        #expect(TimestampParser.Zone("+08:00") == .fixed(seconds: 28_800))
    }

    @Test func canonicalCheck() {
        #expect(TimestampParser.isCanonicalUTC("2024-05-01T04:00:00.000Z"))
        #expect(!TimestampParser.isCanonicalUTC("2024-05-01T12:00:00+08:00"))
        #expect(!TimestampParser.isCanonicalUTC("2024-05-01 04:00:00Z"))
        #expect(TimestampParser.format(milliseconds: -1) == "1969-12-31T23:59:59.999Z")
    }
}
