public import SynclineMapping

/// Reads a connector's `processor_options:` (durations as `90s`/`10m`/`1h` or seconds, counts,
/// lists of text), collecting a problem for every malformed or unknown option.
public struct ProcessorOptions {
    let spec: ConnectorSpec
    let known: Set<String>
    public private(set) var problems: [ConfigProblem] = []

    public init(spec: ConnectorSpec, known: Set<String>) {
        self.spec = spec
        self.known = known
        for key in spec.processorOptions.keys.sorted() where !known.contains(key) {
            problems.append(problem(key, "unknown option (known: \(known.sorted().joined(separator: ", ")))"))
        }
    }

    func problem(_ key: String, _ message: String) -> ConfigProblem {
        ConfigProblem(file: spec.file, field: "processor_options.\(key)", message: message, connector: spec.name)
    }

    /// Milliseconds of a duration option.
    public mutating func duration(_ key: String, default value: Int64) -> Int64 {
        guard let option = spec.processorOptions[key] else { return value }
        switch option {
        case .number(let text):
            if let seconds = Double(text), seconds >= 0 { return Int64(seconds * 1000) }
        case .string(let text):
            if let ms = DurationText.milliseconds(text) { return ms }
        default: break
        }
        problems.append(problem(key, "expected a duration like 90s, 10m or 1h (found \(option.shortDisplay))"))
        return value
    }

    /// A positive whole number.
    public mutating func count(_ key: String, default value: Int) -> Int {
        guard let option = spec.processorOptions[key] else { return value }
        if let text = option.numberText ?? option.stringValue, let number = Int(text), number > 0 { return number }
        problems.append(problem(key, "expected a positive whole number (found \(option.shortDisplay))"))
        return value
    }

    /// A list of text values (a single text counts as a list of one).
    public mutating func strings(_ key: String, default value: [String]) -> [String] {
        guard let option = spec.processorOptions[key] else { return value }
        if let text = option.stringValue { return [text] }
        if let items = option.arrayValue {
            let texts = items.compactMap(\.stringValue)
            if texts.count == items.count { return texts }
        }
        problems.append(problem(key, "expected a list of text values (found \(option.shortDisplay))"))
        return value
    }
}
