/// One canonical field of a compiled route: where its value comes from (slots, a `concat`, or a
/// value fixed when the connector loads), how it is converted, and its JSON written straight into
/// the output buffer. Anything it cannot decide exactly as the interpreter would (a rejection, an
/// escaped string, text that differs only canonically) answers `bail`, and the record is interpreted.
final class CompiledFieldPlan: Sendable {
    enum Source: Sendable {
        /// The first non-empty value among these slots.
        case paths([Int])
        /// `concat(...)` of literal text and slots.
        case concat([ConcatPart])
        /// A `const`: the value is `fallback`.
        case fixed
    }

    enum ConcatPart: Sendable {
        case text([UInt8])
        case slot(Int)
    }

    /// A value known when the connector loads (a default or a constant), already converted.
    enum Fixed: Sendable {
        case absent
        case value(Encoded)
        /// The conversion fails: `on_error: omit` drops the field, otherwise the record is rejected.
        case failure
        /// The output would not conform to the schema: only the interpreter and validator decide.
        case unsupported
    }

    /// A value's JSON bytes, the bytes it keys a record with, and whether it counts as filled.
    struct Encoded: Sendable {
        var json: [UInt8]
        var key: [UInt8]
        var filled: Bool
    }

    enum Writer: Sendable {
        /// `string`: scalar text, trimmed, at most `maxLength` scalars.
        case text(trim: Bool, maxLength: Int?)
        /// `enum`: the rule's map (keys and encoded outputs), the schema's values.
        case enumeration(keys: [[UInt8]], outputs: [Encoded], values: [[UInt8]]?, hasMap: Bool, mapOnly: Bool)
        /// Any other type: the interpreter's conversion on the scalar, checked against the schema field.
        case general(FieldSchema?, SchemaValidator)
    }

    /// What running the field did.
    enum Outcome {
        case wrote(filled: Bool)
        /// No value (and no default): the field is left out.
        case skipped
        /// The conversion failed and the rule says `on_error: omit`: left out, and a check failing
        /// later names it (`CompiledRoutePlan.rejection`).
        case omitted
        case bail
    }

    /// Where the value to convert comes from, for one record.
    enum Resolved {
        case view(ValueView)
        /// The sources are all missing, null or blank: the default (or constant) applies.
        case fallback
        case bail
    }

    let target: String
    /// `"target":`, written before the value.
    let prefix: [UInt8]
    let source: Source
    /// The default (for a `const`, the constant or else the default).
    let fallback: Fixed
    /// `fallback` as written, before conversion (what a failure message shows).
    let fallbackValue: JSONValue?
    let required: Bool
    let omitOnError: Bool
    let conversion: FieldConversion
    let writer: Writer
    /// The route keys its output by this field.
    let isKey: Bool
    /// `prefix` in memory the plan owns (freed with it), appended for every record without
    /// reference counting; never written after `init`.
    nonisolated(unsafe) let prefixBytes: UnsafeMutableBufferPointer<UInt8>
    /// The slots of a `.paths` source, in memory the plan owns (read per record without retaining
    /// the array); empty for other sources.
    nonisolated(unsafe) let pathSlots: UnsafeMutableBufferPointer<Int>
    let pathCount: Int

    var failed: Outcome { omitOnError && !required ? .omitted : .bail }

    // A class, not a struct: the plan is read for every record, and copying a struct of arrays and
    // conversions out of `CompiledRoutePlan.Member` cost a retain and release per reference each time.
    init(
        target: String, prefix: [UInt8], source: Source, fallback: Fixed, fallbackValue: JSONValue?, required: Bool, omitOnError: Bool,
        conversion: FieldConversion, writer: Writer, isKey: Bool
    ) {
        self.target = target
        self.prefix = prefix
        self.source = source
        self.fallback = fallback
        self.fallbackValue = fallbackValue
        self.required = required
        self.omitOnError = omitOnError
        self.conversion = conversion
        self.writer = writer
        self.isKey = isKey
        prefixBytes = .allocate(capacity: max(1, prefix.count))
        _ = prefixBytes.initialize(from: prefix)
        let ids: [Int] = if case .paths(let ids) = source { ids } else { [] }
        pathSlots = .allocate(capacity: max(1, ids.count))
        _ = pathSlots.initialize(from: ids)
        pathCount = ids.count
    }

    deinit {
        prefixBytes.deallocate()
        pathSlots.deallocate()
    }

    /// Appends `"target":`.
    @inline(__always)
    func appendPrefix(to out: inout [UInt8]) {
        out.append(contentsOf: UnsafeBufferPointer(rebasing: prefixBytes[0..<prefix.count]))
    }

    func run(
        _ input: UnsafeBufferPointer<UInt8>, _ slots: UnsafeMutableBufferPointer<ByteSlot>, _ scratch: UnsafeMutableBufferPointer<UInt8>,
        into out: inout [UInt8], key: inout [UInt8]?
    ) -> Outcome {
        switch resolve(input, slots, scratch) {
        case .view(let view): return write(view, into: &out, key: &key)
        case .fallback: return write(fallback, into: &out, key: &key)
        case .bail: return .bail
        }
    }

    /// The value the interpreter would convert: the first source that is present and not blank
    /// (a `concat` built in `scratch`), or the fallback.
    func resolve(
        _ input: UnsafeBufferPointer<UInt8>, _ slots: UnsafeMutableBufferPointer<ByteSlot>, _ scratch: UnsafeMutableBufferPointer<UInt8>
    ) -> Resolved {
        switch source {
        case .fixed:
            return .fallback
        case .paths:
            for index in 0..<pathCount {
                let slot = slots[pathSlots[index]]
                switch slot.kind {
                case .missing, .null: continue
                case .string:
                    if slot.escaped { return .bail }
                    let (low, high) = ByteText.trim(input, slot.start, slot.end)
                    if low == high { continue }
                default: break
                }
                return .view(ValueView(bytes: input, start: slot.start, end: slot.end, kind: slot.kind))
            }
            return .fallback
        case .concat(let parts):
            var length = 0
            for part in parts {
                switch part {
                case .text(let text):
                    guard length &+ text.count <= scratch.count else { return .bail }
                    for byte in text {
                        scratch[length] = byte
                        length &+= 1
                    }
                case .slot(let id):
                    let slot = slots[id]
                    switch slot.kind {
                    case .missing, .null: continue
                    case .object, .array: return .bail
                    case .string where slot.escaped: return .bail
                    default:
                        guard length &+ (slot.end &- slot.start) <= scratch.count else { return .bail }
                        var index = slot.start
                        while index < slot.end {
                            scratch[length] = input[index]
                            length &+= 1
                            index &+= 1
                        }
                    }
                }
            }
            let text = UnsafeBufferPointer(start: scratch.baseAddress, count: length)
            let (low, high) = ByteText.trim(text, 0, length)
            if low == high { return .fallback }
            return .view(ValueView(bytes: text, start: 0, end: length, kind: .string))
        }
    }

    /// Why the field was omitted, as the interpreter words it (`target 'value' omitted: reason`):
    /// the reference conversion is run again on the value, off the hot path. Nil when the value
    /// cannot be shown here (a container) or the conversion unexpectedly succeeds.
    func omissionReason(
        _ input: UnsafeBufferPointer<UInt8>, _ slots: UnsafeMutableBufferPointer<ByteSlot>, _ scratch: UnsafeMutableBufferPointer<UInt8>
    ) -> String? {
        let value: JSONValue?
        switch resolve(input, slots, scratch) {
        case .view(let view): value = view.jsonValue
        case .fallback: value = fallbackValue
        case .bail: value = nil
        }
        guard let value, !value.isEmptyValue else { return nil }
        do {
            _ = try conversion.convert(value)
            return nil
        } catch {
            return "\(target) \(value.shortDisplay) omitted: \(error.reason)"
        }
    }

    func write(_ fixed: Fixed, into out: inout [UInt8], key: inout [UInt8]?) -> Outcome {
        switch fixed {
        case .absent: return required ? .bail : .skipped
        case .failure: return failed
        case .unsupported: return .bail
        case .value(let encoded):
            out.append(contentsOf: encoded.json)
            if isKey { key = encoded.key }
            return .wrote(filled: encoded.filled)
        }
    }

    func write(_ view: ValueView, into out: inout [UInt8], key: inout [UInt8]?) -> Outcome {
        switch writer {
        case .text(let trim, let maxLength):
            guard let text = view.scalarText() else { return failed }
            var (low, high) = (text.start, text.end)
            if trim { (low, high) = ByteText.trim(text.bytes, low, high) }
            if let maxLength, ByteText.scalarCount(text.bytes, low, high) > maxLength { return failed }
            ByteText.appendQuoted(text.bytes, low, high, to: &out)
            if isKey { key = Array(UnsafeBufferPointer(rebasing: text.bytes[low..<high])) }
            return .wrote(filled: low < high)
        case .enumeration(let keys, let outputs, let values, let hasMap, let mapOnly):
            guard let raw = view.scalarText() else { return failed }
            let (low, high) = ByteText.trim(raw.bytes, raw.start, raw.end)
            for (position, mapKey) in keys.enumerated() where ByteText.equal(raw.bytes, low, high, mapKey) {
                return write(.value(outputs[position]), into: &out, key: &key)
            }
            guard StableText.isStable(raw.bytes, low, high) else { return .bail }
            if mapOnly, hasMap { return failed }
            if let values {
                guard values.contains(where: { ByteText.equal(raw.bytes, low, high, $0) }) else { return failed }
            } else if hasMap {
                return failed
            }
            ByteText.appendQuoted(raw.bytes, low, high, to: &out)
            if isKey { key = Array(UnsafeBufferPointer(rebasing: raw.bytes[low..<high])) }
            return .wrote(filled: low < high)
        case .general(let field, let validator):
            let mark = out.count
            if writeFromBytes(view, into: &out) {
                // The key is the value's text: a string's bytes inside the quotes, a bool's literal.
                if isKey { key = out[mark] == UInt8(ascii: "\"") ? Array(out[(mark &+ 1)..<(out.count &- 1)]) : Array(out[mark...]) }
                return .wrote(filled: true)
            }
            guard let value = view.jsonValue else {
                return conversion.type == .object || conversion.type == .array ? .bail : failed
            }
            let converted: JSONValue
            do {
                converted = try conversion.convert(value)
            } catch {
                return failed
            }
            if let field, validator.check(converted, field) != nil { return .bail }
            JSONWriter.write(converted, into: &out)
            if isKey { key = Self.keyBytes(converted) }
            return .wrote(filled: !MapStage.isEmpty(converted))
        }
    }

    /// The conversions the record path does from the bytes, for the values most records carry: a
    /// timestamp, an ASCII email address or phone number, a JSON `true`/`false`. Writes the JSON
    /// value and answers true, or writes nothing and answers false: the value then takes the
    /// interpreter's conversion (the reference), which also explains any failure. What is written
    /// is canonical by construction (a formatted UTC time, a normalised address, E.164 digits), so
    /// the schema check of the general path is not repeated; every value written is non-empty.
    @inline(__always)
    func writeFromBytes(_ view: ValueView, into out: inout [UInt8]) -> Bool {
        switch conversion.type {
        case .timestamp:
            let milliseconds: Int64? = switch view.kind {
            case .string: conversion.timestamps.milliseconds(bytes: view.bytes, view.start, view.end)
            case .number: TimestampParser.epochMilliseconds(bytes: view.bytes, view.start, view.end)
            default: nil
            }
            guard let milliseconds else { return false }
            out.append(UInt8(ascii: "\""))
            UTCTimestamp.withBytes(ms: milliseconds) { out.append(contentsOf: $0) }
            out.append(UInt8(ascii: "\""))
            return true
        case .email:
            guard view.kind == .string else { return false }
            return EmailNormalizer.appendNormalizedJSON(view.bytes, view.start, view.end, to: &out)
        case .phone:
            guard let phone = conversion.phone, view.kind == .string || view.kind == .number else { return false }
            return phone.appendNormalizedJSON(view.bytes, view.start, view.end, to: &out)
        case .bool:
            switch view.kind {
            case .literalTrue: out.append(contentsOf: ValueView.bytes(ValueView.trueText))
            case .literalFalse: out.append(contentsOf: ValueView.bytes(ValueView.falseText))
            default: return false
            }
            return true
        default:
            return false
        }
    }

    /// The key bytes of a canonical value, as `MapStage.output` derives them.
    static func keyBytes(_ value: JSONValue) -> [UInt8] {
        switch value {
        case .string(let text): return Array(text.utf8)
        case .number(let text): return Array(text.utf8)
        default: return JSONWriter.bytes(value)
        }
    }
}
