import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Decodes an XML payload to a document: the root element's content becomes the top object;
/// attributes become `@name`, repeated child elements an array, text-only elements strings
/// (trimmed), and text beside attributes or children `#text`.
public enum XMLPayloadDecoder {
    public static func decode(_ bytes: [UInt8]) throws(DecodeFailure) -> JSONValue {
        guard String(validating: bytes, as: UTF8.self) != nil else {
            throw DecodeFailure(.invalidUTF8, "the XML payload is not valid UTF-8")
        }
        // DTDs are refused outright: no entity expansion ("billion laughs") and no external entities.
        if containsDTD(bytes) {
            throw DecodeFailure(.invalidXML, "DOCTYPE/ENTITY declarations are not accepted")
        }
        // Foundation's XMLParser dereferences a null pointer on a processing instruction without data
        // (`<?x?>`), killing the process: none reach it.
        if let offset = processingInstructionOffset(bytes) {
            throw DecodeFailure(.invalidXML, "processing instructions (<?…?>) are not accepted (byte \(offset))")
        }
        let builder = XMLTreeBuilder()
        let parser = XMLParser(data: Data(bytes))
        parser.shouldResolveExternalEntities = false
        parser.shouldProcessNamespaces = false
        parser.delegate = builder
        let ok = parser.parse()
        if ok, builder.failure == nil, let open = builder.stack.last {
            throw DecodeFailure(.invalidXML, "element <\(open.name)> is never closed")
        }
        guard ok, builder.failure == nil, let root = builder.root else {
            let reason = builder.failure ?? parser.parserError.map { "\($0.localizedDescription)" } ?? "not well-formed"
            throw DecodeFailure(.invalidXML, "line \(parser.lineNumber), column \(parser.columnNumber): \(reason)")
        }
        let value = root.json
        if case .object = value { return value }
        return .object(["#text": value])
    }

    /// The offset of the first `<?` other than the XML declaration at the start, outside comments and
    /// CDATA sections; nil when there is none.
    static func processingInstructionOffset(_ bytes: [UInt8]) -> Int? {
        func starts(_ marker: [UInt8], at index: Int) -> Bool {
            index + marker.count <= bytes.count && bytes[index] == marker[0]
                && bytes[index..<(index + marker.count)].elementsEqual(marker)
        }
        func skip(past marker: [UInt8], from index: Int) -> Int {
            var cursor = index
            while cursor < bytes.count, !starts(marker, at: cursor) { cursor += 1 }
            return min(bytes.count, cursor + marker.count)
        }
        let open = UInt8(ascii: "<")
        var index = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        if starts(Array("<?xml".utf8), at: index), index + 5 < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index + 5]) {
            index = skip(past: Array("?>".utf8), from: index + 5)
        }
        while index < bytes.count {
            guard bytes[index] == open, index + 1 < bytes.count else {
                index += 1
                continue
            }
            if bytes[index + 1] == UInt8(ascii: "?") { return index }
            if starts(Array("<!--".utf8), at: index) {
                index = skip(past: Array("-->".utf8), from: index + 4)
            } else if starts(Array("<![CDATA[".utf8), at: index) {
                index = skip(past: Array("]]>".utf8), from: index + 9)
            } else {
                index += 1
            }
        }
        return nil
    }

    static func containsDTD(_ bytes: [UInt8]) -> Bool {
        let marker = Array("<!".utf8)
        var index = 0
        while index + 8 < bytes.count {
            if bytes[index] == marker[0], bytes[index + 1] == marker[1] {
                let word = String(decoding: bytes[(index + 2)..<min(bytes.count, index + 9)], as: UTF8.self).uppercased()
                if word.hasPrefix("DOCTYPE") || word.hasPrefix("ENTITY") { return true }
            }
            index += 1
        }
        return false
    }
}

/// One element while the XML tree is built.
final class XMLElementNode {
    let name: String
    let attributes: [String: String]
    var children: [XMLElementNode] = []
    var text = ""

    init(name: String, attributes: [String: String]) {
        self.name = name
        self.attributes = attributes
    }

    var json: JSONValue {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if attributes.isEmpty, children.isEmpty { return .string(trimmed) }
        var members: [String: JSONValue] = [:]
        for (key, value) in attributes { members["@" + key] = .string(value) }
        for child in children {
            let value = child.json
            switch members[child.name] {
            case nil: members[child.name] = value
            case .array(var items)?:
                items.append(value)
                members[child.name] = .array(items)
            case let existing?: members[child.name] = .array([existing, value])
            }
        }
        if !trimmed.isEmpty { members["#text"] = .string(trimmed) }
        return .object(members)
    }
}

/// XMLParser delegate that builds `XMLElementNode`s; refuses DTDs (no entity expansion attacks).
final class XMLTreeBuilder: NSObject, XMLParserDelegate {
    var stack: [XMLElementNode] = []
    var root: XMLElementNode?
    var failure: String?
    var depth = 0

    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        depth += 1
        if depth > 64 {
            failure = "nesting deeper than 64 elements"
            parser.abortParsing()
            return
        }
        let node = XMLElementNode(name: elementName, attributes: attributes)
        stack.last?.children.append(node)
        if stack.isEmpty { root = node }
        stack.append(node)
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
        depth -= 1
        if let open = stack.last, open.name != elementName {
            failure = "</\(elementName)> closes <\(open.name)>"
            parser.abortParsing()
            return
        }
        _ = stack.popLast()
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        stack.last?.text += string
    }

    func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) {
        stack.last?.text += String(decoding: CDATABlock, as: UTF8.self)
    }

    func parser(_ parser: XMLParser, foundInternalEntityDeclarationWithName name: String, value: String?) {
        failure = "DTD entity declarations are not accepted"
        parser.abortParsing()
    }

    func parser(_ parser: XMLParser, foundElementDeclarationWithName elementName: String, model: String) {
        failure = "DTD declarations are not accepted"
        parser.abortParsing()
    }
}
