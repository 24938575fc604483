@testable import SynclineMapping

/// The XML payload decoder (Foundation's XMLParser behind a DTD guard) over arbitrary bytes.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzXML(_ data: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let bytes = FuzzInput.bytes(data, count)
    if let document = try? PayloadDecoder.decode(bytes, format: .xml) {
        // Whatever it decodes is a document the rest of the pipeline can write as JSON.
        require((try? JSONParser.parse(JSONWriter.bytes(document), maxDepth: 1000)) == document, "decoded XML does not round-trip as JSON")
    }
    return 0
}
