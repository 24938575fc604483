@testable import SynclineMapping

/// Expression lexer, parser and evaluator. Input: expression text, a 0x00 byte, then a JSON document.
/// Whatever parses is evaluated over that document and over fixed hostile documents (64-bit extremes,
/// 20-digit and 1e400 numbers, tiny fractions, text, nesting, nulls) bound to `$in`, `$out` and bare paths.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzExpression(_ data: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let parts = FuzzInput.parts(FuzzInput.bytes(data, count), limit: 2)
    guard let expression = try? Expression(FuzzInput.text(parts[0])) else { return 0 }
    _ = expression.paths
    _ = expression.inputPaths
    _ = expression.outputPaths
    var documents = HostileValues.documents
    if parts.count > 1, let document = try? JSONParser.parse(parts[1]) { documents.insert(document, at: 0) }
    for document in documents {
        _ = try? expression.evaluate(document)
        _ = expression.matches(document)
        _ = try? expression.evaluate(ExpressionScope(document: .object([:]), input: document, output: document))
    }
    return 0
}

/// Documents whose every common key holds a value chosen to break arithmetic and text handling.
enum HostileValues {
    static let values: [JSONValue] = [
        .number("9223372036854775807"), .number("-9223372036854775808"), .number("6925605966349787035"),
        .number("375437851724750521"), .number("99999999999999999999"), .number("1e400"), .number("-1e-400"),
        .number("0.000000000000000001"), .number("-0"), .number("0"), .number("0.5"), .number("1.5e18"),
        .string("9223372036854775807"), .string(" -0.000000000000000001 "), .string("abc"), .string(""), .string("١٢٣"),
        .string("e\u{301}"), .string("\u{0}"), .bool(true), .null, .array([]), .array([.number("1"), .null, .string("x")]),
        .object(["a": .number("1")]),
    ]

    static let keys = ["a", "b", "c", "x", "y", "n", "amount", "gross", "fee", "net", "rate", "id", "event_id", "status", "lines", "fields", "tags", "type"]

    static let documents: [JSONValue] = {
        var documents: [JSONValue] = []
        for offset in 0..<values.count {
            var members: [String: JSONValue] = [:]
            for (index, key) in keys.enumerated() { members[key] = values[(index + offset) % values.count] }
            members["lines"] = .array(values.map { .object(["amount": $0, "qty": $0]) })
            members["fields"] = .object(Dictionary(uniqueKeysWithValues: keys.map { ($0, values[offset]) }))
            documents.append(.object(members))
        }
        return documents
    }()
}
