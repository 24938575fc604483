import Testing
import SynclineMapping

@Suite struct DecoderTests {
    func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    @Test func jsonMustBeAnObject() throws {
        #expect(try PayloadDecoder.decode(bytes(#"{"a":1}"#), format: .json)["a"] == .number("1"))
        #expect(throws: DecodeFailure.self) { try PayloadDecoder.decode(self.bytes("[1]"), format: .json) }
        do {
            _ = try PayloadDecoder.decode([0x7B, 0x22, 0xFF, 0x22, 0x3A, 0x31, 0x7D], format: .json)
        } catch {
            #expect(error.code == .invalidUTF8)
            #expect(error.reason.contains("byte 2"))
        }
        do {
            _ = try PayloadDecoder.decode(bytes("[1]"), format: .json)
        } catch {
            #expect(error.code == .notAnObject)
        }
    }

    @Test func xmlElementTree() throws {
        let xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <order id="PO-1" status="paid">
              <customer><code>C-9</code><name>李雷</name></customer>
              <line sku="A"><qty>2</qty></line>
              <line sku="B"><qty>1</qty></line>
              <note>  rush  </note>
              <empty/>
            </order>
            """
        let document = try PayloadDecoder.decode(bytes(xml), format: .xml)
        #expect(document["@id"] == .string("PO-1"))
        #expect(document["customer"]?["name"] == .string("李雷"))
        #expect(try SourcePath.parse("line[1].@sku").lookup(in: document) == .string("B"))
        #expect(try SourcePath.parse("line[0].qty").lookup(in: document) == .string("2"))
        #expect(document["note"] == .string("rush"))
        #expect(document["empty"] == .string(""))
    }

    @Test func xmlErrors() {
        for bad in ["<a><b></a>", "not xml", "<a>", "<!DOCTYPE a [<!ENTITY x \"y\">]><a>&x;</a>"] {
            do {
                _ = try PayloadDecoder.decode(bytes(bad), format: .xml)
                Issue.record("accepted \(bad)")
            } catch {
                #expect(error.code == .invalidXML, "\(bad): \(error)")
            }
        }
    }

    @Test("regression (fuzz/xml): a processing instruction without data crashed Foundation's XMLParser (SEGV in strlen); now invalid_xml")
    func xmlProcessingInstructionsAreRefused() throws {
        for bad in ["<?x?><r>=\"?><r>", "<r><?pi?></r>", "<r>a<?pi data?></r>", "<?xml version=\"1.0\"?><?x?><r/>", "\u{FEFF}<?x?><r/>"] {
            do {
                _ = try PayloadDecoder.decode(bytes(bad), format: .xml)
                Issue.record("accepted \(bad)")
            } catch {
                #expect(error.code == .invalidXML, "\(bad): \(error)")
                #expect(error.reason.contains("processing instructions"), "\(bad): \(error)")
            }
        }
        // The XML declaration, and "<?" inside comments and CDATA, are fine.
        let document = try PayloadDecoder.decode(
            bytes("<?xml version=\"1.0\" encoding=\"UTF-8\"?><r><!-- <?x?> --><a><![CDATA[<?y?>]]></a></r>"), format: .xml)
        #expect(document["a"] == .string("<?y?>"))
    }

    @Test func formDecoding() throws {
        let document = try PayloadDecoder.decode(
            bytes("CallSid=CA123&From=%2B14155550100&To=+1+415&Caller=%E6%9D%8E&Tag=a&Tag=b&Empty="), format: .form)
        #expect(document["CallSid"] == .string("CA123"))
        #expect(document["From"] == .string("+14155550100"))
        #expect(document["To"] == .string(" 1 415"))
        #expect(document["Caller"] == .string("李"))
        #expect(document["Tag"] == .array([.string("a"), .string("b")]))
        #expect(document["Empty"] == .string(""))
        for (bad, code) in [("a=%G1", ErrorCode.invalidForm), ("a=%4", .invalidForm), ("a=%FF", .invalidUTF8), ("=x", .invalidForm)] {
            do {
                _ = try PayloadDecoder.decode(bytes(bad), format: .form)
                Issue.record("accepted \(bad)")
            } catch {
                #expect(error.code == code, "\(bad): \(error)")
            }
        }
    }

    @Test func csvWithHeaderLine() throws {
        let document = try PayloadDecoder.decode(bytes("id,name,note\r\n7,\"Lovelace, Ada\",\"said \"\"hi\"\"\"\r\n"), format: .csv)
        #expect(document["name"] == .string("Lovelace, Ada"))
        #expect(document["note"] == .string("said \"hi\""))
        #expect(document["id"] == .string("7"))
    }

    @Test func csvWithDeclaredColumns() throws {
        let options = CSVOptions(columns: ["uniqueid", "src", "dst"], delimiter: UInt8(ascii: ";"))
        let document = try PayloadDecoder.decode(bytes("1714.1;13800138000;010-65529988\n"), format: .csv, csv: options)
        #expect(document["src"] == .string("13800138000"))
        for bad in ["a;b", "a;b;c\nd;e;f", "a;\"b;c"] {
            #expect(throws: DecodeFailure.self, "\(bad)") { try PayloadDecoder.decode(self.bytes(bad), format: .csv, csv: options) }
        }
        #expect(throws: DecodeFailure.self) { try PayloadDecoder.decode(self.bytes("a,b\n1,2\n3,4"), format: .csv) }
    }

    @Test func decodeStageReadsEventIDAndSourceTime() throws {
        let stage = DecodeStage(
            connector: "m", format: .json, eventIDPath: try SourcePath.parse("event_id"),
            sourceTimestampPath: try SourcePath.parse("occurred_at"))
        var context = RecordContext(input: TestSupport.record(#"{"event_id":"e1","occurred_at":"2024-05-01T12:00:00+08:00"}"#))
        try stage.process(&context)
        #expect(context.eventID == "e1")
        #expect(context.sourceTimeMs == 1_714_536_000_000)
        #expect(context.sourceTimeProblem == nil)
    }

    @Test func decodeStageFallsBackToHeadersAndNeverRejectsForTime() throws {
        let stage = DecodeStage(
            connector: "m", format: .json, eventIDPath: try SourcePath.parse("event_id"),
            sourceTimestampPath: try SourcePath.parse("occurred_at"))
        var context = RecordContext(input: TestSupport.record(#"{"x":1}"#, headers: [
            RecordHeader("ce_id", "h1"), RecordHeader("ce_time", "1714564800000"),
        ]))
        try stage.process(&context)
        #expect(context.eventID == "h1")
        #expect(context.sourceTimeMs == 1_714_564_800_000)

        var missing = RecordContext(input: TestSupport.record(#"{"event_id":"e"}"#))
        try stage.process(&missing)
        #expect(missing.sourceTimeProblem == "missing")
        #expect(missing.sourceTimeMs == nil)

        var bad = RecordContext(input: TestSupport.record(#"{"event_id":"e","occurred_at":"soon"}"#))
        try stage.process(&bad)
        #expect(bad.sourceTimeProblem == "unparseable")
    }

    @Test func decodeStageRejections() throws {
        let stage = DecodeStage(connector: "m", format: .json, maxPayloadBytes: 64, eventIDPath: try SourcePath.parse("event_id"))
        let cases: [(InputRecord, ErrorCode)] = [
            (InputRecord(topic: "t", partition: 0, offset: 1, key: nil, value: nil), .payloadMissing),
            (TestSupport.record("{\"event_id\":\"" + String(repeating: "x", count: 100) + "\"}"), .payloadTooLarge),
            (TestSupport.record("{\"event_id\":"), .invalidJSON),
            (TestSupport.record("{\"other\":1}"), .eventIDMissing),
        ]
        for (record, code) in cases {
            var context = RecordContext(input: record)
            do {
                try stage.process(&context)
                Issue.record("accepted \(code)")
            } catch {
                #expect(error.stage == .decode)
                #expect(error.code == code.rawValue)
                #expect(error.message.contains("connector m"))
            }
        }
    }
}
