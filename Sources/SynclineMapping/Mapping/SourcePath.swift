/// A path into a decoded document: `fields.客户_等级_v2`, `lines[0].sku`, `fields["a.b"]`.
/// Keys are any Unicode text; `.` separates keys, `[n]` indexes arrays, `["…"]` quotes a key.
public struct SourcePath: Sendable, Hashable, CustomStringConvertible {
    /// One step of a path.
    public enum Segment: Sendable, Hashable {
        case key(String)
        case index(Int)
    }

    public let segments: [Segment]
    /// The path as written.
    public let text: String

    public init(segments: [Segment], text: String) {
        self.segments = segments
        self.text = text
    }

    public var description: String { text }

    /// Why a path string is malformed.
    public struct Malformed: Error, Sendable, Equatable, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    public static func parse(_ text: String) throws(Malformed) -> SourcePath {
        var segments: [Segment] = []
        var current = ""
        var chars = Array(text.unicodeScalars)[...]
        var expectKey = true  // after '.', or at the start
        func flush() throws(Malformed) {
            if !current.isEmpty {
                segments.append(.key(current))
                current = ""
            } else if expectKey {
                throw Malformed(message: "empty key in path '\(text)'")
            }
        }
        guard !text.isEmpty else { throw Malformed(message: "empty path") }
        while let scalar = chars.first {
            chars = chars.dropFirst()
            switch scalar {
            case ".":
                try flush()
                expectKey = true
            case "[":
                if !current.isEmpty {
                    segments.append(.key(current))
                    current = ""
                } else if expectKey && !segments.isEmpty {
                    throw Malformed(message: "'.[' in path '\(text)'")
                }
                if let quote = chars.first, quote == "\"" || quote == "'" {
                    chars = chars.dropFirst()
                    var key = ""
                    var closed = false
                    while let next = chars.first {
                        chars = chars.dropFirst()
                        if next == quote { closed = true; break }
                        key.unicodeScalars.append(next)
                    }
                    guard closed, chars.first == "]" else { throw Malformed(message: "unclosed quoted key in path '\(text)'") }
                    chars = chars.dropFirst()
                    segments.append(.key(key))
                } else {
                    var digits = ""
                    while let next = chars.first, next != "]" {
                        chars = chars.dropFirst()
                        digits.unicodeScalars.append(next)
                    }
                    guard chars.first == "]", let index = Int(digits), index >= 0 else {
                        throw Malformed(message: "array index must be [n] with n ≥ 0 in path '\(text)'")
                    }
                    chars = chars.dropFirst()
                    segments.append(.index(index))
                }
                expectKey = false
                if let next = chars.first, next != ".", next != "[" {
                    throw Malformed(message: "expected '.' or '[' after ']' in path '\(text)'")
                }
            default:
                current.unicodeScalars.append(scalar)
                expectKey = true
            }
        }
        if !current.isEmpty {
            segments.append(.key(current))
        } else if text.last == "." {
            throw Malformed(message: "path '\(text)' ends with '.'")
        }
        guard !segments.isEmpty else { throw Malformed(message: "empty path") }
        return SourcePath(segments: segments, text: text)
    }

    /// The value at this path, or nil when any step is missing.
    public func lookup(in document: JSONValue) -> JSONValue? {
        var value = document
        for segment in segments {
            switch segment {
            case .key(let key):
                guard case .object(let members) = value, let next = members[key] else { return nil }
                value = next
            case .index(let index):
                guard case .array(let items) = value, index < items.count else { return nil }
                value = items[index]
            }
        }
        return value
    }

    /// True when `self` is `other` or lies inside it (`fields.a` is inside `fields`).
    public func hasPrefix(_ other: SourcePath) -> Bool {
        segments.count >= other.segments.count && Array(segments.prefix(other.segments.count)) == other.segments
    }
}
