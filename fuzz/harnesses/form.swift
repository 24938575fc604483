@testable import SynclineMapping

/// The form (x-www-form-urlencoded) decoder over arbitrary bytes.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzForm(_ data: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let bytes = FuzzInput.bytes(data, count)
    if let document = try? PayloadDecoder.decode(bytes, format: .form) {
        require((try? JSONParser.parse(JSONWriter.bytes(document), maxDepth: 1000)) == document, "decoded form does not round-trip as JSON")
    }
    return 0
}
