import Foundation
import SynclineMapping
import Testing

/// Our JSONTestSuite-style corpus (Tests/Corpora/json-validity.txt): `y_` documents are JSON, `n_`
/// are not, `i_` are implementation-defined. The byte validator must agree with the parser on every
/// document (duplicate keys aside), and both kinds of route of a `format: json` connector must refuse
/// every `n_` document at stage decode with the parser's code.
///
/// Documented choices: the parser refuses duplicate keys (`y_object_duplicated_key*`), so a route with
/// field rules refuses them too (`invalid_json`), while a plain route (which reads no keys) passes
/// them. Of the `i_` documents we accept huge and tiny numbers (kept as their literal text) and refuse
/// everything else: lone or inverted surrogates, invalid or non-UTF-8 encodings, a BOM, and nesting
/// beyond 64 levels.
@Suite("JSON validity corpus: byte validator, parser, plain and mapped routes")
struct JSONValiditySuiteTests {
    struct Document: CustomStringConvertible {
        let name: String
        let bytes: [UInt8]
        var description: String { name }
        var kind: Character { name.first ?? "?" }
    }

    static let documents: [Document] = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Corpora/json-validity.txt")
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { return [] }
        var documents: [Document] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) where !line.hasPrefix("#") {
            guard let tab = line.firstIndex(of: "\t") else { continue }
            documents.append(Document(name: String(line[..<tab]), bytes: decode(line[line.index(after: tab)...])))
        }
        return documents
    }()

    /// `%XX` is a byte, `%%` a percent sign, anything else its UTF-8.
    static func decode(_ text: Substring) -> [UInt8] {
        var bytes: [UInt8] = []
        var utf8 = Array(text.utf8)[...]
        while let byte = utf8.first {
            utf8 = utf8.dropFirst()
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            if utf8.first == UInt8(ascii: "%") {
                bytes.append(byte)
                utf8 = utf8.dropFirst()
            } else if utf8.count >= 2, let value = UInt8(String(decoding: utf8.prefix(2), as: UTF8.self), radix: 16) {
                bytes.append(value)
                utf8 = utf8.dropFirst(2)
            }
        }
        return bytes
    }

    /// The decode verdict a connector gives: an empty value is `payload_missing` before any parse.
    static func decodeCode(_ bytes: [UInt8]) -> String? {
        bytes.isEmpty ? ErrorCode.payloadMissing.rawValue : parserCode(bytes)
    }

    static func parserCode(_ bytes: [UInt8]) -> String? {
        do {
            _ = try JSONParser.parse(bytes)
            return nil
        } catch {
            return error.kind == .invalidUTF8 ? ErrorCode.invalidUTF8.rawValue : ErrorCode.invalidJSON.rawValue
        }
    }

    static func isDuplicateKeyDocument(_ document: Document) -> Bool { document.name.hasPrefix("y_object_duplicated_key") }

    @Test("the corpus covers the three kinds")
    func corpus() {
        #expect(Self.documents.filter { $0.kind == "y" }.count >= 80)
        #expect(Self.documents.filter { $0.kind == "n" }.count >= 180)
        #expect(Self.documents.filter { $0.kind == "i" }.count >= 30)
    }

    @Test("validator and parser agree on every document; duplicate keys are the parser's alone")
    func validatorMatchesParser() {
        for document in Self.documents {
            let valid = JSONByteValidator.isValid(document.bytes)
            let parsed = Self.parserCode(document.bytes) == nil
            switch document.kind {
            case "y":
                #expect(valid, "\(document)")
                #expect(parsed != Self.isDuplicateKeyDocument(document), "\(document)")
            case "n":
                #expect(!valid && !parsed, "\(document)")
                #expect(JSONByteValidator.failure(document.bytes)?.code.rawValue == Self.parserCode(document.bytes), "\(document)")
            default:
                #expect(valid == parsed, "\(document)")
                #expect(valid == document.name.hasPrefix("i_number_"), "\(document): our i_ choice")
            }
        }
    }

    static func verdicts(_ pipeline: RecordPipeline) -> [(Document, Result<RecordContext, Rejection>)] {
        Self.documents.enumerated().map { index, document in
            let input = InputRecord(topic: "raw.marketing.events.v1", partition: 0, offset: Int64(index), key: nil, value: document.bytes, headers: [], timestampMs: 0)
            return (document, pipeline.run(input))
        }
    }

    static let plainConnector = """
        name: plain
        input:
          topics: [raw.marketing.events.v1]
          format: json
        routes:
          - name: copy
            topic: hub.audit.v1
        """

    @Test("a plain route refuses every invalid document with the parser's code and passes the rest unchanged")
    func plainRoute() throws {
        let pipeline = try PipelineBuilder.build(try TestSupport.spec(Self.plainConnector), catalog: try TestSupport.catalog())
        for (document, result) in Self.verdicts(pipeline) {
            switch (document.kind, result) {
            case ("n", .failure(let rejection)):
                #expect(rejection.stage == .decode && rejection.code == Self.decodeCode(document.bytes), "\(document)")
            case ("y", .success(let context)):
                #expect(context.outputs.first?.value == document.bytes, "\(document)")
            case ("i", let result):
                #expect(((try? result.get()) != nil) == (Self.decodeCode(document.bytes) == nil), "\(document)")
            default:
                Issue.record("\(document): \(result)")
            }
        }
    }

    @Test("a route with field rules refuses every invalid document, and valid ones only for duplicate keys", arguments: [true, false])
    func mappedRoute(compiled: Bool) throws {
        let pipeline = try PipelineBuilder.build(
            try TestSupport.spec(TestSupport.marketing), catalog: try TestSupport.catalog(), mode: compiled ? .compiled : .interpreted)
        for (document, result) in Self.verdicts(pipeline) {
            let jsonRefusal: String?
            if case .failure(let rejection) = result, rejection.stage == .decode,
                [ErrorCode.invalidJSON.rawValue, ErrorCode.invalidUTF8.rawValue, ErrorCode.payloadMissing.rawValue].contains(rejection.code)
            {
                jsonRefusal = rejection.code
            } else {
                jsonRefusal = nil
            }
            switch document.kind {
            case "n": #expect(jsonRefusal != nil && jsonRefusal == Self.decodeCode(document.bytes), "\(document): \(result)")
            case "y": #expect((jsonRefusal != nil) == Self.isDuplicateKeyDocument(document), "\(document): \(result)")
            default: #expect(jsonRefusal == Self.decodeCode(document.bytes), "\(document): \(result)")
            }
        }
    }

    @Test("a plain route refuses tombstones as payload_missing unless it forwards them, and a plain route of another format passes any bytes")
    func plainRouteEdges() throws {
        let json = try PipelineBuilder.build(try TestSupport.spec(Self.plainConnector), catalog: nil)
        let tombstone = InputRecord(topic: "raw.marketing.events.v1", partition: 0, offset: 1, key: [1], value: nil, headers: [], timestampMs: 0)
        if case .failure(let rejection) = json.run(tombstone) {
            #expect(rejection.code == ErrorCode.payloadMissing.rawValue)
        } else {
            Issue.record("a tombstone passed a plain route that does not forward them")
        }
        let forwarding = try PipelineBuilder.build(
            try TestSupport.spec(Self.plainConnector.replacingOccurrences(of: "format: json", with: "format: json\n  tombstones: forward")),
            catalog: nil)
        #expect((try? forwarding.run(tombstone).get())?.outputs.count == 1)
        let form = try PipelineBuilder.build(
            try TestSupport.spec(Self.plainConnector.replacingOccurrences(of: "format: json", with: "format: form")), catalog: nil)
        let garbage = InputRecord(topic: "raw.marketing.events.v1", partition: 0, offset: 2, key: nil, value: Array("a=1&b={".utf8), headers: [], timestampMs: 0)
        #expect((try? form.run(garbage).get())?.outputs.first?.value == garbage.value)
        #expect(throws: Rejection.self) { try json.run(garbage).get() }
    }
}
