@testable import SynclineMapping

/// The CSV decoder over arbitrary bytes. The first byte picks the options: bit 0 declares columns,
/// bits 1-2 the delimiter (`,` `;` tab `|`).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSV(_ data: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let bytes = FuzzInput.bytes(data, count)
    guard let first = bytes.first else {
        _ = try? PayloadDecoder.decode(bytes, format: .csv)
        return 0
    }
    let delimiters: [UInt8] = [UInt8(ascii: ","), UInt8(ascii: ";"), 0x09, UInt8(ascii: "|")]
    let options = CSVOptions(
        columns: first & 1 == 1 ? ["id", "name", "phone", "amount"] : nil, delimiter: delimiters[Int(first >> 1 & 3)])
    if let document = try? PayloadDecoder.decode(Array(bytes.dropFirst()), format: .csv, csv: options) {
        require((try? JSONParser.parse(JSONWriter.bytes(document), maxDepth: 1000)) == document, "decoded CSV does not round-trip as JSON")
    }
    return 0
}
