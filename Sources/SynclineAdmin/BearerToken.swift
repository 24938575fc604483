import Foundation

/// Checks the admin token in constant time: `Authorization: Bearer <token>`, or for reads from a
/// browser `Authorization: Basic` whose password is the token (the user name is ignored), so the
/// status page works behind the browser's own login prompt.
public struct BearerToken: Sendable {
    private let expected: [UInt8]

    public init(_ token: String) {
        expected = Array(token.utf8)
    }

    /// True for `Bearer <token>` only (mutating calls: browsers never send it on their own).
    public func accepts(authorizationHeader header: String?) -> Bool {
        guard let header, header.hasPrefix("Bearer ") else { return false }
        return matches(Array(header.dropFirst("Bearer ".count).utf8))
    }

    /// True for `Bearer <token>` or `Basic base64(user:token)` (reads).
    public func acceptsRead(authorizationHeader header: String?) -> Bool {
        if accepts(authorizationHeader: header) { return true }
        guard let header, header.hasPrefix("Basic "),
              let decoded = Data(base64Encoded: String(header.dropFirst("Basic ".count)).trimmingCharacters(in: .whitespaces)),
              let colon = decoded.firstIndex(of: UInt8(ascii: ":")) else { return false }
        return matches(Array(decoded[decoded.index(after: colon)...]))
    }

    private func matches(_ given: [UInt8]) -> Bool {
        var difference = UInt8(given.count == expected.count ? 0 : 1)
        for index in 0..<expected.count {
            difference |= expected[index] ^ (index < given.count ? given[index] : 0)
        }
        return difference == 0 && !expected.isEmpty
    }
}
