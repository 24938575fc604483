/// Checks that bytes are strict RFC 8259 JSON, accepting exactly what `JSONParser` accepts except
/// that duplicate keys pass (finding them needs the keys kept; a plain route does not read keys).
/// Far cheaper than a parse: no tree, no strings. On refusal the parser supplies the reason.
public enum JSONByteValidator {
    public static func isValid(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBufferPointer { isValid($0) }
    }

    public static func isValid(_ buffer: UnsafeBufferPointer<UInt8>) -> Bool {
        var scanner = JSONByteScanner(
            bytes: buffer, nodes: [], slots: UnsafeMutableBufferPointer(start: nil, count: 0),
            keys: UnsafeMutableBufferPointer(start: nil, count: 0), members: UnsafeMutableBufferPointer(start: nil, count: 0),
            tracking: false)
        return scanner.scanDocument() == .valid
    }

    /// Why the bytes are not JSON, as the decode stage reports it (code and reason), or nil when
    /// they are JSON (duplicate keys included).
    public static func failure(_ bytes: [UInt8]) -> DecodeFailure? {
        guard !isValid(bytes) else { return nil }
        do {
            _ = try JSONParser.parse(bytes)
        } catch {
            if case .duplicateKey = error.kind {
                // The parser stopped at a duplicate key before the fault the validator found further on.
                return DecodeFailure(.invalidJSON, "not strict JSON after byte \(error.offset)")
            }
            return DecodeFailure(error.kind == .invalidUTF8 ? .invalidUTF8 : .invalidJSON, error.description)
        }
        // The validator and the parser disagree; the stricter verdict wins.
        return DecodeFailure(.invalidJSON, "not valid JSON")
    }
}
