/// Decodes a record value in one of the payload formats (`json`, `xml`, `form`, `csv`) to a document
/// the mapping reads with paths. Every format yields an object at the top.
public enum PayloadDecoder {
    public static func decode(_ bytes: [UInt8], format: PayloadFormat, csv: CSVOptions = CSVOptions()) throws(DecodeFailure) -> JSONValue {
        let document: JSONValue
        switch format {
        case .json:
            do {
                document = try JSONParser.parse(bytes)
            } catch {
                throw DecodeFailure(error.kind == .invalidUTF8 ? .invalidUTF8 : .invalidJSON, error.description)
            }
        case .xml: document = try XMLPayloadDecoder.decode(bytes)
        case .form: document = try FormDecoder.decode(bytes)
        case .csv: document = try CSVDecoder.decode(bytes, options: csv)
        }
        guard case .object = document else {
            throw DecodeFailure(.notAnObject, "the payload is a JSON \(document.kindName), not an object")
        }
        return document
    }
}
