import SynclineMapping

/// How many outputs each topic got and in how many of them each field (`topic.field`) has a value.
struct FillCounts {
    var outputs: [String: Int] = [:]
    var filled: [String: Int] = [:]

    mutating func count(_ records: [OutputRecord]) {
        for record in records {
            outputs[record.topic, default: 0] += 1
            for (name, value) in Self.members(record.value) where !value.isEmptyValue {
                filled[record.topic + "." + name, default: 0] += 1
            }
        }
    }

    /// The members of a JSON object value; a value that is not an object counts as one member `(value)`.
    static func members(_ bytes: [UInt8]?) -> [String: JSONValue] {
        guard let bytes else { return [:] }
        do throws(JSONParseError) {
            let value = try JSONParser.parse(bytes)
            return value.objectValue ?? ["(value)": value]
        } catch {
            return ["(value)": .string(String(decoding: bytes, as: UTF8.self))]
        }
    }

    /// `crm.leads.v1.phone` → `crm.leads.v1`: topic names end in `.v<N>`, field names have no dot.
    static func topic(of field: String) -> String {
        guard let dot = field.lastIndex(of: ".") else { return field }
        return String(field[..<dot])
    }
}
