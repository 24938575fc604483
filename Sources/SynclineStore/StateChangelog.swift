import Foundation

/// How state records travel in `hub.state.<connector>.v1`: JSON, with their list columns (a call's
/// event ids, a conversation's participants) as JSON text inside the record, the format the
/// changelog had before the store kept them as JSON columns, so instances of either version
/// restore each other's state. The store itself writes the same lists through GRDB as arrays.
public enum StateChangelog {
    /// Set (true) in the changelog's coders: list columns are written as JSON text.
    static let listsAsText = CodingUserInfoKey(rawValue: "syncline.state.listsAsText")

    /// The changelog value of a state record.
    public static func encode(_ value: some Encodable) throws -> [UInt8] {
        let encoder = JSONEncoder()
        if let key = listsAsText { encoder.userInfo[key] = true }
        return Array(try encoder.encode(value))
    }

    /// A state record from its changelog value (lists as JSON text or as arrays).
    public static func decode<Value: Decodable>(_ type: Value.Type, from bytes: [UInt8]) throws -> Value {
        try JSONDecoder().decode(type, from: Data(bytes))
    }
}

extension Encoder {
    /// True inside `StateChangelog.encode`: list columns go out as JSON text.
    var writesListsAsText: Bool {
        guard let key = StateChangelog.listsAsText else { return false }
        return userInfo[key] as? Bool ?? false
    }
}

extension KeyedEncodingContainer {
    /// A list column: an array (GRDB stores it as JSON text itself), or JSON text in the changelog.
    mutating func encodeList(_ list: [String], forKey key: Key, asText: Bool) throws {
        if asText {
            try encode(String(decoding: try JSONEncoder().encode(list), as: UTF8.self), forKey: key)
        } else {
            try encode(list, forKey: key)
        }
    }
}

extension KeyedDecodingContainer {
    /// A list column written either way: an array, or JSON text (changelog records).
    func decodeList(forKey key: Key) throws -> [String] {
        do {
            return try decode([String].self, forKey: key)
        } catch DecodingError.typeMismatch {
            let text = try decode(String.self, forKey: key)
            return try JSONDecoder().decode([String].self, from: Data(text.utf8))
        }
    }
}
