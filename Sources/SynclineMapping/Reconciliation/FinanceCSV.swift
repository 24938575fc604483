/// Finance's CSV export (`syncline reconcile --finance FILE.csv`): a header line naming the
/// columns — voucher reference, booked amount, currency, booked date, optionally an entry id —
/// in any order and under the usual spellings, then one booking per line (RFC 4180 quoting).
public enum FinanceCSV {
    static let aliases: [String: [String]] = [
        "voucher_ref": ["voucher_ref", "voucher reference", "voucher", "voucher_no", "voucher no"],
        "booked_amount": ["booked_amount", "booked amount", "amount"],
        "currency": ["currency", "ccy"],
        "booked_date": ["booked_date", "booked date", "date", "booking date"],
        "receipt_id": ["entry_id", "entry id", "receipt_id", "id"],
    ]

    /// The bookings, or the problems (a missing column, a line whose amount or date is unusable).
    public static func read(_ bytes: [UInt8]) -> (entries: [ReconciliationEntry], problems: [String]) {
        var body = bytes[...]
        if body.starts(with: [0xEF, 0xBB, 0xBF]) { body = body.dropFirst(3) }
        let rows: [[String]]
        do { rows = try CSVDecoder.parseRows(Array(body), delimiter: UInt8(ascii: ",")) } catch { return ([], ["not readable as CSV: \(error)"]) }
        guard let header = rows.first else { return ([], ["the file is empty"]) }
        let names = header.map { $0.lowercased().trimmedSpaces() }
        var columns: [String: Int] = [:]
        for (field, spellings) in aliases {
            if let index = names.firstIndex(where: { spellings.contains($0) }) { columns[field] = index }
        }
        let missing = ["voucher_ref", "booked_amount", "currency", "booked_date"].filter { columns[$0] == nil }
        guard missing.isEmpty else { return ([], ["missing column(s): \(missing.joined(separator: ", ")) (header: \(header.joined(separator: ",")))"]) }
        var entries: [ReconciliationEntry] = []
        var problems: [String] = []
        for (index, row) in rows.dropFirst().enumerated() {
            var object: [String: JSONValue] = [:]
            for (field, column) in columns where column < row.count { object[field] = .string(row[column].trimmedSpaces()) }
            if let entry = ReconciliationEntry(finance: .object(object)) {
                entries.append(entry)
            } else {
                problems.append("line \(index + 2): needs a voucher reference, a decimal amount, a currency and a YYYY-MM-DD date (\(row.joined(separator: ",")))")
            }
        }
        return (entries, problems)
    }
}

extension String {
    func trimmedSpaces() -> String {
        String(drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }
}
