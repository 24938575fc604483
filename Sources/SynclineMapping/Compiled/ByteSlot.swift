/// Where one value sits in a record's input bytes, as the byte scanner found it: its JSON kind and
/// its byte range (for strings, the text between the quotes). The compiled record path reads values
/// through slots instead of building a `JSONValue` tree.
struct ByteSlot: Sendable {
    /// The JSON kind of a scanned value; `missing` when the path was not in the document.
    enum Kind: UInt8, Sendable {
        case missing, string, number, literalTrue, literalFalse, null, object, array
    }

    var kind: Kind = .missing
    /// First byte of the value (of a string: the first byte after the opening quote).
    var start = 0
    /// One past the last byte (of a string: the closing quote).
    var end = 0
    /// A string that contains at least one backslash escape (its bytes are not its text).
    var escaped = false

    static let missing = ByteSlot()
}

/// One member of an object collected for `extra`: its key's and value's place in the input.
struct CollectedMember: Sendable {
    var collector = 0
    var keyStart = 0
    var keyEnd = 0
    var value = ByteSlot()
}
