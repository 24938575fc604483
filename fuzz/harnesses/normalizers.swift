import Foundation
@testable import SynclineMapping

/// Phone (every region), email and timestamp normalisers over arbitrary text. What they accept is
/// canonical: normalising it again gives the same text, and a parsed timestamp formats and re-parses
/// to the same instant.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzNormalizers(_ data: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let text = FuzzInput.text(FuzzInput.bytes(data, count))
    for normalizer in Normalizers.phones {
        if let phone = try? normalizer.normalize(text) {
            require((try? normalizer.normalize(phone)) == phone, "phone \(text) → \(phone) is not stable in \(normalizer.region.code)")
        }
    }
    if let email = try? EmailNormalizer.normalize(text) {
        require((try? EmailNormalizer.normalize(email)) == email, "email \(text) → \(email) is not stable")
    }
    _ = EmailNormalizer.isValid(text)
    for parser in Normalizers.timestamps {
        if let ms = try? parser.milliseconds(text) {
            let formatted = TimestampParser.format(milliseconds: ms)
            require(TimestampParser.isCanonicalUTC(formatted), "\(formatted) is not canonical")
            require((try? parser.milliseconds(formatted)) == ms, "timestamp \(text) → \(formatted) does not re-parse to \(ms)")
        }
    }
    if let ms = try? TimestampParser.epochMilliseconds(text) {
        _ = TimestampParser.format(milliseconds: ms)
    }
    _ = TimestampParser.isCanonicalUTC(text)
    _ = TimestampParser.Zone(text)
    return 0
}

enum Normalizers {
    static let phones: [PhoneNormalizer] = PhoneNormalizer.regions.keys.sorted().compactMap { PhoneNormalizer(defaultRegion: $0) }
    static let timestamps: [TimestampParser] = [
        .utc, TimestampParser(defaultZone: .fixed(seconds: 8 * 3600)), TimestampParser(defaultZone: .fixed(seconds: -(9 * 3600 + 30 * 60))),
        TimestampParser(defaultZone: TimestampParser.Zone("America/New_York") ?? .fixed(seconds: 0)),
        TimestampParser(defaultZone: TimestampParser.Zone("Asia/Shanghai") ?? .fixed(seconds: 0)),
    ]
}
