import Foundation
import Logging
import SynclineMapping
import SynclineSecurity
import Synchronization
import Testing

@Suite("PII masking and secret redaction in logs")
struct MaskingTests {
    let masker = PIIMasker()

    @Test("phone numbers: E.164, CN mobiles and dashed numbers keep prefix and last four")
    func phones() {
        #expect(masker.mask("from +8613812348000 ok") == "from +86138****8000 ok")
        #expect(masker.mask("call 13812348000") == "call 138****8000")
        #expect(masker.mask("us +14155550123.") == "us +141****0123.")
        #expect(masker.mask("tel 138-1234-8000") == "tel 138-****-8000")
        #expect(masker.mask("+86 138 1234 8000") == "+86 138 **** 8000")
        // Not phones: offsets, epoch times, decimals, ids and hex.
        for text in ["offset 1717171717000", "partition 3 offset 12345678", "amount 12345678.90", "id ab13812348000", "at 1717171717", "evt_13812348000x"] {
            #expect(masker.mask(text) == text)
        }
    }

    @Test("emails keep the first letter and the domain")
    func emails() {
        #expect(masker.mask("to zhang.san@example.com,") == "to z***@example.com,")
        #expect(masker.mask(#"{"email":"li@corp.example.cn"}"#) == #"{"email":"l***@corp.example.cn"}"#)
        #expect(masker.mask("user@localhost and a@b") == "user@localhost and a@b")
    }

    @Test("message text in JSON and XML is masked")
    func messageText() {
        #expect(masker.mask(#"{"msgtype":"text","text":{"content":"请回电 13812348000"}}"#) == #"{"msgtype":"text","text":{"content":"***"}}"#)
        #expect(masker.mask("<xml><Content><![CDATA[hello]]></Content></xml>") == "<xml><Content>***</Content></xml>")
        #expect(masker.mask(#"{"body": "my secret plans"}"#) == #"{"body": "***"}"#)
    }

    @Test("secrets are redacted even when unmasked: registered values, Bearer tokens, password= and token: values")
    func secrets() {
        PIIMasker.registerSecrets(["sk-registered-123456"])
        let unmasked = PIIMasker(unmasked: true)
        for candidate in [masker, unmasked] {
            #expect(!candidate.mask("using sk-registered-123456 now").contains("sk-registered-123456"))
            let authorization = candidate.mask("Authorization: Bearer abc.def.ghi")
            #expect(authorization.hasPrefix("Authorization: [redacted]") && !authorization.contains("abc.def.ghi"))
            #expect(candidate.mask("header Bearer abc.def.ghi x") == "header Bearer [redacted] x")
            #expect(candidate.mask("sasl.password=hunter2 next") == "sasl.password=[redacted] next")
            #expect(candidate.mask(#"{"token":"t0k"}"#) == #"{"token":"[redacted]"}"#)
            #expect(candidate.mask(value: "abc", key: "admin_token") == "[redacted]")
        }
        #expect(unmasked.mask("+8613812348000 z@example.com") == "+8613812348000 z@example.com")
    }

    @Test("the log handler masks messages and metadata before the wrapped handler sees them")
    func handler() {
        let sink = CapturedLines()
        var logger = Logger(label: "t") { _ in MaskingLogHandler(wrapping: CapturingHandler(sink: sink)) }
        logger.logLevel = .info
        logger[metadataKey: "caller"] = "+8613812348000"
        logger.info("lead from zhang@example.com phone 13812348000", metadata: ["text": "hello there", "password": "p4ss", "n": "\(42)"])
        let line = sink.lines.joined()
        #expect(line.contains("z***@example.com"))
        #expect(line.contains("138****8000"))
        #expect(line.contains("+86138****8000"))
        #expect(!line.contains("hello there"))
        #expect(!line.contains("p4ss"))
        #expect(line.contains("42"))
    }
}

/// Log lines collected by `CapturingHandler`.
final class CapturedLines: Sendable {
    private let store = Mutex<[String]>([])
    func append(_ line: String) { store.withLock { $0.append(line) } }
    var lines: [String] { store.withLock { $0 } }
}

/// A log handler that renders each event (message, metadata, error) into one captured line.
struct CapturingHandler: LogHandler {
    let sink: CapturedLines
    var logLevel: Logger.Level = .trace
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { _, new in new }
        sink.append("\(event.level) \(event.message) \(merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")) \(event.error.map { "\($0)" } ?? "")")
    }
}
