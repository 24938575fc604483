/// Naming rules shared by topics and canonical fields (SPEC §3): lower snake_case ASCII.
public enum NameRules {
    /// `lower_snake_case` ASCII: starts with a letter, then letters, digits and single underscores.
    public static func isSnakeCaseASCII(_ name: String) -> Bool {
        guard let first = name.utf8.first, (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(first) else {
            return false
        }
        var previousUnderscore = false
        for byte in name.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                previousUnderscore = false
            case UInt8(ascii: "_"):
                if previousUnderscore { return false }
                previousUnderscore = true
            default:
                return false
            }
        }
        return !previousUnderscore
    }

    /// A segment of a topic name: lower-case ASCII letters, digits, `_` and `-`.
    public static func isTopicSegment(_ segment: String) -> Bool {
        !segment.isEmpty
            && segment.utf8.allSatisfy { byte in
                (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                    || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                    || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
            }
    }
}
