import Testing
import SynclineMapping

@Suite struct JSONParserTests {
    @Test func parsesAllKinds() throws {
        let value = try JSONParser.parse(#" {"a": [1, -2.50, 3e2, true, false, null], "b": "x\n\u00e9\ud83d\ude00", "c": {}} "#)
        #expect(value["a"] == .array([.number("1"), .number("-2.50"), .number("3e2"), .bool(true), .bool(false), .null]))
        #expect(value["b"] == .string("x\né😀"))
        #expect(value["c"] == .object([:]))
    }

    @Test func numbersKeepLiteralText() throws {
        #expect(try JSONParser.parse("12.30") == .number("12.30"))
        #expect(try JSONParser.parse("1700000000000") == .number("1700000000000"))
        let huge = String(repeating: "9", count: 400)
        #expect(try JSONParser.parse(huge) == .number(huge))
        #expect(try JSONParser.parse("1e999999") == .number("1e999999"))
    }

    @Test func unicodeKeysAndRawUTF8() throws {
        let value = try JSONParser.parse(#"{"客户_等级_v2": "高"}"#)
        #expect(value["客户_等级_v2"] == .string("高"))
    }

    static let hostile: [(String, [UInt8], String, Int?)] = [
        ("empty", [], "empty_input", 0),
        ("whitespace only", Array("  \n".utf8), "empty_input", 0),
        ("truncated object", Array(#"{"a": 1"#.utf8), "truncated", 7),
        ("truncated string", Array(#"{"a": "bc"#.utf8), "truncated", 9),
        ("truncated literal", Array("tru".utf8), "truncated", 3),
        ("truncated escape", Array(#""ab\"#.utf8), "truncated", 4),
        ("unexpected char", Array(#"{"a" 1}"#.utf8), "unexpected_character", 5),
        ("single quotes", Array("{'a': 1}".utf8), "unexpected_character", 1),
        ("trailing comma", Array("[1,]".utf8), "unexpected_character", 3),
        ("duplicate key", Array(#"{"a": 1, "a": 2}"#.utf8), "duplicate_key", 9),
        ("NUL in string", [0x22, 0x61, 0x00, 0x62, 0x22], "control_character", 2),
        ("raw newline in string", Array("\"a\nb\"".utf8), "control_character", 2),
        ("bad escape", Array(#""\x""#.utf8), "invalid_escape", 1),
        ("bad unicode escape", Array(#""\u12G4""#.utf8), "invalid_escape", 1),
        ("lone low surrogate", Array(#""\udc00""#.utf8), "lone_surrogate", 1),
        ("lone high surrogate", Array(#""\ud83dx""#.utf8), "lone_surrogate", 1),
        ("high + non-low", Array(#""\ud83d\u0041""#.utf8), "lone_surrogate", 1),
        ("leading zero", Array("012".utf8), "invalid_number", 0),
        ("bare minus", Array("-x".utf8), "invalid_number", 0),
        ("dot without digits", Array("1.".utf8), "truncated", 2),
        ("dot then letter", Array("[1.e5]".utf8), "invalid_number", 1),
        ("plus sign", Array("+1".utf8), "unexpected_character", 0),
        ("number glued to text", Array("[12abc]".utf8), "invalid_number", 1),
        ("NaN", Array("NaN".utf8), "unexpected_character", 0),
        ("trailing data", Array("{} {}".utf8), "trailing_data", 3),
        ("invalid UTF-8 in string", [0x22, 0x61, 0xC3, 0x28, 0x22], "invalid_utf8", 2),
        ("overlong UTF-8", [0x22, 0xC0, 0xAF, 0x22], "invalid_utf8", 1),
        ("UTF-8 surrogate", [0x22, 0xED, 0xA0, 0x80, 0x22], "invalid_utf8", 1),
        ("truncated UTF-8 at end", [0x22, 0xE4, 0xB8], "invalid_utf8", 1),
        ("invalid UTF-8 outside string", [0x7B, 0xFF, 0x7D], "invalid_utf8", 1),
        ("BOM", [0xEF, 0xBB, 0xBF, 0x7B, 0x7D], "unexpected_character", 0),
    ]

    @Test(arguments: hostile)
    func rejectsHostileInput(_ name: String, _ bytes: [UInt8], _ reason: String, _ offset: Int?) {
        do {
            let value = try JSONParser.parse(bytes)
            Issue.record("\(name): parsed as \(value)")
        } catch {
            #expect(error.reason == reason, "\(name): \(error)")
            if let offset { #expect(error.offset == offset, "\(name): \(error)") }
            if reason != "empty_input" { #expect(error.description.contains("\(error.offset)")) }
        }
    }

    @Test func nestingLimit() throws {
        let ok = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
        #expect(throws: Never.self) { try JSONParser.parse(ok) }
        let deep = String(repeating: "[", count: 65) + String(repeating: "]", count: 65)
        #expect(throws: JSONParseError(.tooDeep(limit: 64), at: 64)) { try JSONParser.parse(deep) }
        let hugeDeep = String(repeating: "{\"a\":", count: 100_000)
        #expect(throws: JSONParseError.self) { try JSONParser.parse(hugeDeep) }
        #expect(throws: JSONParseError(.tooDeep(limit: 3), at: 3)) { try JSONParser.parse("[[[[]]]]", maxDepth: 3) }
    }

    @Test func writerRoundTripsAndEscapes() throws {
        let value = JSONValue.object([
            "b": .string("q\"\\\n\t\u{01}é"), "a": .array([.number("1.50"), .null, .bool(true)]), "c": .object([:]),
        ])
        let bytes = JSONWriter.bytes(value)
        #expect(TestSupport.text(bytes) == #"{"a":[1.50,null,true],"b":"q\"\\\n\t\u0001é","c":{}}"#)
        #expect(try JSONParser.parse(bytes) == value)
    }

    @Test func writerKeepsGivenOrder() {
        let bytes = JSONWriter.bytes(orderedObject: [("z", .number("1")), ("a", .string("x"))])
        #expect(TestSupport.text(bytes) == #"{"z":1,"a":"x"}"#)
    }

    @Test func rawBufferEntry() throws {
        let bytes = Array(#"{"k": [1]}"#.utf8)
        let value = try bytes.withUnsafeBytes { (raw) throws(JSONParseError) -> JSONValue in try JSONParser.parse(raw) }
        #expect(value["k"] == .array([.number("1")]))
    }
}

@Suite("JSONIndenter: indented for people, in the order written")
struct JSONIndenterTests {
    @Test("members keep their order, strings keep their bytes (escapes, braces, commas inside), empty containers stay inline")
    func keepsOrderAndStrings() throws {
        let bytes = Array(#"{"zeta":1,"alpha":"a,{b}: \"c\"","list":[1,{"x":null}],"empty":{},"none":[]}"#.utf8)
        let text = JSONIndenter.indent(bytes)
        #expect(text == """
            {
              "zeta": 1,
              "alpha": "a,{b}: \\"c\\"",
              "list": [
                1,
                {
                  "x": null
                }
              ],
              "empty": {},
              "none": []
            }
            """)
        // Same document as the input.
        #expect(try JSONParser.parse(Array(text.utf8)) == JSONParser.parse(bytes))
    }
}
