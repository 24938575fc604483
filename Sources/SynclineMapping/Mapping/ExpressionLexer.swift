/// Splits expression text into tokens. Bare paths use letters (any script), digits, `_`, `$`, `@`, `#`,
/// separated by `.` and indexed by `[n]`; any other key goes in backticks: `` `fields.所在 城市` ``.
struct ExpressionLexer {
    let scalars: [Unicode.Scalar]
    var index = 0

    init(_ text: String) {
        scalars = Array(text.unicodeScalars)
    }

    static func isPathStart(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isAlphabetic || scalar == "_" || scalar == "$" || scalar == "@" || scalar == "#"
    }

    static func isPathChar(_ scalar: Unicode.Scalar) -> Bool {
        isPathStart(scalar) || ("0"..."9").contains(scalar) || scalar.properties.numericType != nil
    }

    static let keywords: Set<String> = ["and", "or", "not", "in", "null", "true", "false"]

    mutating func tokens() throws(ExpressionError) -> [(ExpressionToken, Int)] {
        var result: [(ExpressionToken, Int)] = []
        while true {
            while index < scalars.count, scalars[index].properties.isWhitespace { index += 1 }
            let start = index
            guard index < scalars.count else {
                result.append((.end, start))
                return result
            }
            let scalar = scalars[index]
            if ("0"..."9").contains(scalar) {
                result.append((.number(lexNumber()), start))
            } else if scalar == "'" || scalar == "\"" {
                result.append((.string(try lexString(quote: scalar)), start))
            } else if Self.isPathStart(scalar) || scalar == "`" {
                let text = try lexPathText()
                if !text.contains("."), !text.contains("["), !text.contains("`"), Self.keywords.contains(text) {
                    result.append((.keyword(text), start))
                } else if text.contains("[*]") {
                    let parts = text.replacingBackticks().components(separatedBy: "[*]")
                    guard parts.count == 2, !parts[0].isEmpty else { throw ExpressionError("a path may hold one [*], after a field name", at: start) }
                    var rest = parts[1]
                    if rest.hasPrefix(".") { rest.removeFirst() }
                    do {
                        let base = try SourcePath.parse(parts[0])
                        result.append((.spread(base, rest.isEmpty ? nil : try SourcePath.parse(rest)), start))
                    } catch {
                        throw ExpressionError(error.message, at: start)
                    }
                } else {
                    do {
                        result.append((.path(try SourcePath.parse(text.replacingBackticks())), start))
                    } catch {
                        throw ExpressionError(error.message, at: start)
                    }
                }
            } else {
                let two = index + 1 < scalars.count ? String(scalar) + String(scalars[index + 1]) : ""
                if ["==", "!=", "<=", ">="].contains(two) {
                    index += 2
                    result.append((.symbol(two), start))
                } else if "+-*/(),[]<>".unicodeScalars.contains(scalar) {
                    index += 1
                    result.append((.symbol(String(scalar)), start))
                } else if scalar == "=" {
                    throw ExpressionError("use '==' to compare", at: start)
                } else {
                    throw ExpressionError("unexpected character '\(Character(scalar))'", at: start)
                }
            }
        }
    }

    mutating func lexNumber() -> String {
        var text = ""
        while index < scalars.count, ("0"..."9").contains(scalars[index]) {
            text.unicodeScalars.append(scalars[index])
            index += 1
        }
        if index + 1 < scalars.count, scalars[index] == ".", ("0"..."9").contains(scalars[index + 1]) {
            text.unicodeScalars.append(".")
            index += 1
            while index < scalars.count, ("0"..."9").contains(scalars[index]) {
                text.unicodeScalars.append(scalars[index])
                index += 1
            }
        }
        return text
    }

    mutating func lexString(quote: Unicode.Scalar) throws(ExpressionError) -> String {
        let start = index
        index += 1
        var text = ""
        while index < scalars.count {
            let scalar = scalars[index]
            index += 1
            if scalar == quote { return text }
            if scalar == "\\" {
                guard index < scalars.count else { break }
                let next = scalars[index]
                index += 1
                switch next {
                case "n": text.unicodeScalars.append("\n")
                case "t": text.unicodeScalars.append("\t")
                default: text.unicodeScalars.append(next)
                }
            } else {
                text.unicodeScalars.append(scalar)
            }
        }
        throw ExpressionError("unterminated string", at: start)
    }

    /// The raw text of a path: segments, backtick-quoted segments, `.`, `[n]`, `["key"]`.
    mutating func lexPathText() throws(ExpressionError) -> String {
        var text = ""
        var needSegment = true
        while index < scalars.count {
            let scalar = scalars[index]
            if needSegment {
                if scalar == "`" {
                    let start = index
                    index += 1
                    var segment = ""
                    while index < scalars.count, scalars[index] != "`" {
                        segment.unicodeScalars.append(scalars[index])
                        index += 1
                    }
                    guard index < scalars.count else { throw ExpressionError("unterminated `quoted` path", at: start) }
                    index += 1
                    text += "`" + segment + "`"
                } else if Self.isPathStart(scalar) || Self.isPathChar(scalar) {
                    while index < scalars.count, Self.isPathChar(scalars[index]) {
                        text.unicodeScalars.append(scalars[index])
                        index += 1
                    }
                } else {
                    throw ExpressionError("expected a field name after '.'", at: index)
                }
                needSegment = false
            } else if scalar == "." {
                text += "."
                index += 1
                needSegment = true
            } else if scalar == "[" {
                // An index or quoted key directly after a path segment.
                var probe = index + 1
                guard probe < scalars.count,
                    ("0"..."9").contains(scalars[probe]) || scalars[probe] == "\"" || scalars[probe] == "'" || scalars[probe] == "*"
                else {
                    return text
                }
                while probe < scalars.count, scalars[probe] != "]" { probe += 1 }
                guard probe < scalars.count else { throw ExpressionError("unclosed '['", at: index) }
                for offset in index...probe { text.unicodeScalars.append(scalars[offset]) }
                index = probe + 1
            } else {
                break
            }
        }
        if needSegment { throw ExpressionError("path ends with '.'", at: index) }
        return text
    }
}

extension String {
    /// Turns backtick segments into bracket-quoted keys for `SourcePath.parse`: a.`b c` → a["b c"].
    func replacingBackticks() -> String {
        guard contains("`") else { return self }
        var result = ""
        var inQuote = false
        for scalar in unicodeScalars {
            if scalar == "`" {
                if inQuote {
                    result += "\"]"
                } else {
                    if result.hasSuffix(".") { result.removeLast() }
                    result += "[\""
                }
                inQuote.toggle()
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}
