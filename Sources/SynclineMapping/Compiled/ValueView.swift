/// A scalar value of the compiled path as bytes: a slot's range in the input, or text built in the
/// scratch buffer (a `concat`). Strings are unescaped text (escaped strings never get this far).
struct ValueView {
    var bytes: UnsafeBufferPointer<UInt8>
    var start: Int
    var end: Int
    var kind: ByteSlot.Kind

    static let trueText: StaticString = "true"
    static let falseText: StaticString = "false"

    /// The value as the interpreter's `JSONValue` (scalars only; nil for containers).
    var jsonValue: JSONValue? {
        switch kind {
        case .string: return .string(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self))
        case .number: return .number(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self))
        case .literalTrue: return .bool(true)
        case .literalFalse: return .bool(false)
        case .null: return .null
        case .missing, .object, .array: return nil
        }
    }

    /// `FieldConversion.scalarText` as a byte range: strings and numbers as written; bools as
    /// `true`/`false` (static text); nil for containers.
    func scalarText() -> ValueView? {
        switch kind {
        case .string, .number: return self
        case .literalTrue: return ValueView.staticText(Self.trueText)
        case .literalFalse: return ValueView.staticText(Self.falseText)
        default: return nil
        }
    }

    /// A static text's bytes.
    static func bytes(_ text: StaticString) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount)
    }

    static func staticText(_ text: StaticString) -> ValueView {
        ValueView(bytes: bytes(text), start: 0, end: text.utf8CodeUnitCount, kind: .string)
    }
}
