/// Decodes one CSV record per message (RFC 4180 quoting, `,` or a declared delimiter) to an object of
/// strings keyed by column name: the connector's `csv.columns`, or else the message's first line.
public enum CSVDecoder {
    public static func decode(_ bytes: [UInt8], options: CSVOptions) throws(DecodeFailure) -> JSONValue {
        var body = bytes[...]
        if body.starts(with: [0xEF, 0xBB, 0xBF]) { body = body.dropFirst(3) }
        guard String(validating: body, as: UTF8.self) != nil else {
            throw DecodeFailure(.invalidUTF8, "the CSV payload is not valid UTF-8")
        }
        let rows = try parseRows(Array(body), delimiter: options.delimiter)
        let header: [String]
        let data: [String]
        if let columns = options.columns {
            guard rows.count == 1 else {
                throw DecodeFailure(.invalidCSV, "expected exactly one data line (columns are declared by the connector), found \(rows.count)")
            }
            header = columns
            data = rows[0]
        } else {
            guard rows.count == 2 else {
                throw DecodeFailure(.invalidCSV, "expected a header line and one data line, found \(rows.count) line(s)")
            }
            header = rows[0]
            data = rows[1]
        }
        guard header.count == data.count else {
            throw DecodeFailure(.invalidCSV, "the header has \(header.count) columns but the data line has \(data.count)")
        }
        var members: [String: JSONValue] = [:]
        for (name, value) in zip(header, data) {
            guard members.updateValue(.string(value), forKey: name) == nil else {
                throw DecodeFailure(.invalidCSV, "column '\(name)' appears twice in the header")
            }
        }
        return .object(members)
    }

    /// Rows of fields; blank lines are skipped.
    static func parseRows(_ bytes: [UInt8], delimiter: UInt8) throws(DecodeFailure) -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var field: [UInt8] = []
        var index = 0
        var inQuotes = false
        var fieldWasQuoted = false
        func endField() {
            row.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
            fieldWasQuoted = false
        }
        func endRow() {
            endField()
            if !(row.count == 1 && row[0].isEmpty) { rows.append(row) }
            row = []
        }
        while index < bytes.count {
            let byte = bytes[index]
            if inQuotes {
                if byte == UInt8(ascii: "\"") {
                    if index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "\"") {
                        field.append(byte)
                        index += 2
                        continue
                    }
                    inQuotes = false
                } else {
                    field.append(byte)
                }
                index += 1
                continue
            }
            switch byte {
            case UInt8(ascii: "\""):
                guard field.isEmpty, !fieldWasQuoted else {
                    throw DecodeFailure(.invalidCSV, "a quote inside an unquoted field at byte \(index)")
                }
                inQuotes = true
                fieldWasQuoted = true
            case delimiter:
                endField()
            case 0x0D:
                if index + 1 < bytes.count, bytes[index + 1] == 0x0A { index += 1 }
                endRow()
            case 0x0A:
                endRow()
            default:
                if fieldWasQuoted {
                    throw DecodeFailure(.invalidCSV, "text after a closing quote at byte \(index)")
                }
                field.append(byte)
            }
            index += 1
        }
        if inQuotes { throw DecodeFailure(.invalidCSV, "unterminated quoted field") }
        if !field.isEmpty || !row.isEmpty || fieldWasQuoted { endRow() }
        return rows
    }
}
