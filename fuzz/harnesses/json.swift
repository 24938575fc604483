@testable import SynclineMapping

/// JSONParser over arbitrary bytes; what it accepts must survive JSONWriter and parse back equal.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSON(_ data: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let bytes = FuzzInput.bytes(data, count)
    guard let value = try? JSONParser.parse(bytes) else {
        _ = try? PayloadDecoder.decode(bytes, format: .json)
        return 0
    }
    let written = JSONWriter.bytes(value)
    guard let again = try? JSONParser.parse(written) else {
        require(false, "JSONWriter output does not parse: \(FuzzInput.text(written))")
        return 0
    }
    require(again == value, "round trip changed the value: \(FuzzInput.text(written))")
    _ = try? PayloadDecoder.decode(bytes, format: .json)
    return 0
}
