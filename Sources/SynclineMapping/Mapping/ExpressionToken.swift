/// One lexical token of the mapping expression / condition language.
enum ExpressionToken: Sendable, Equatable {
    case number(String)
    case string(String)
    case path(SourcePath)
    /// `base[*].rest`: the two halves of a spread path (`rest` may be absent: `lines[*]`).
    case spread(SourcePath, SourcePath?)
    /// `and`, `or`, `not`, `in`, `null`, `true`, `false`
    case keyword(String)
    /// `+ - * / ( ) , [ ] == != < <= > >=`
    case symbol(String)
    case end

    var display: String {
        switch self {
        case .number(let text): return text
        case .string(let text): return "'\(text)'"
        case .path(let path): return path.text
        case .spread(let base, let rest): return base.text + "[*]" + (rest.map { "." + $0.text } ?? "")
        case .keyword(let word): return word
        case .symbol(let symbol): return "'\(symbol)'"
        case .end: return "the end of the expression"
        }
    }
}
