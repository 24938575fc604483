import Foundation
@testable import SynclineMapping

/// Phone (every region), email and timestamp normalisers over arbitrary text. What they accept is
/// canonical: normalising it again gives the same text, and a parsed timestamp formats and re-parses
/// to the same instant. The byte-level readings of the record path agree with the references
/// whenever they answer, and on printable ASCII they must answer exactly as the references do.
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
    checkByteReadings(text)
    return 0
}

/// The record path's byte-level conversions against their references.
func checkByteReadings(_ text: String) {
    let bytes = Array(text.utf8)
    let printableASCII = bytes.allSatisfy { $0 >= 0x20 && $0 < 0x7F }
    bytes.withUnsafeBufferPointer { buffer in
        for parser in Normalizers.timestamps {
            if let fast = parser.milliseconds(bytes: buffer, 0, buffer.count) {
                require((try? parser.millisecondsReference(text)) == fast, "byte-level timestamp \(text) → \(fast) differs from the reference")
            }
            let grammar = parser.parseDateTime(bytes: buffer, 0, buffer.count, requireUTC: false)
            require(grammar == (try? parser.parseDateTimeReference(bytes, original: text, requireUTC: false)), "date-time grammar differs on \(text)")
        }
        var out: [UInt8] = []
        let email = EmailNormalizer.appendNormalizedJSON(buffer, 0, buffer.count, to: &out)
        let reference = try? EmailNormalizer.normalize(text)
        if email { require(out == JSONWriter.bytes(.string(reference ?? "")) && reference != nil, "byte-level email \(text) differs") }
        if printableASCII { require(email == (reference != nil), "byte-level email declined or accepted \(text) unlike the reference") }
        for normalizer in Normalizers.phones {
            out.removeAll(keepingCapacity: true)
            let phone = normalizer.appendNormalizedJSON(buffer, 0, buffer.count, to: &out)
            let expected = try? normalizer.normalize(text)
            if phone { require(expected.map { Array("\"\($0)\"".utf8) } == out, "byte-level phone \(text) differs in \(normalizer.region.code)") }
            if printableASCII, bytes.count <= 64 {
                require(phone == (expected != nil), "byte-level phone declined or accepted \(text) unlike the reference in \(normalizer.region.code)")
            }
        }
    }
}

enum Normalizers {
    static let phones: [PhoneNormalizer] = PhoneNormalizer.regions.keys.sorted().compactMap { PhoneNormalizer(defaultRegion: $0) }
    static let timestamps: [TimestampParser] = [
        .utc, TimestampParser(defaultZone: .fixed(seconds: 8 * 3600)), TimestampParser(defaultZone: .fixed(seconds: -(9 * 3600 + 30 * 60))),
        TimestampParser(defaultZone: TimestampParser.Zone("America/New_York") ?? .fixed(seconds: 0)),
        TimestampParser(defaultZone: TimestampParser.Zone("Asia/Shanghai") ?? .fixed(seconds: 0)),
    ]
}
