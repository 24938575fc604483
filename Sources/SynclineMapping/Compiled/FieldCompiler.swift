/// Compiles one field rule (resolved against its schema field) into a `CompiledFieldPlan`, refusing
/// what the compiled path does not cover: `each`, expressions other than `concat`, paths with array
/// indices, a type or limit that differs from the schema's, canonically unstable enum text.
enum FieldCompiler {
    typealias Refusal = RouteCompiler.Refusal

    static func compile(
        _ rule: MapStage.CompiledRule, field: FieldSchema, validator: SchemaValidator, isKey: Bool, trie: inout PathTrie, scratch: inout Int
    ) throws(Refusal) -> CompiledFieldPlan {
        let name = rule.target
        if rule.each != nil { throw Refusal(reason: "field \(name): `each` is not compiled") }
        if rule.zoneFrom != nil { throw Refusal(reason: "field \(name): a per-record time zone (`timezone: {from: …}`) is not compiled") }
        guard let conversion = rule.conversion else { throw Refusal(reason: "field \(name) has no type") }
        guard conversion.type == field.type else {
            throw Refusal(reason: "field \(name) converts to \(conversion.type.rawValue), the schema says \(field.type.rawValue)")
        }
        if field.required, !rule.required { throw Refusal(reason: "field \(name) may be left out but the schema requires it") }
        if field.type == .string, let limit = field.maxLength, (conversion.maxLength ?? Int.max) > limit {
            throw Refusal(reason: "field \(name) allows longer text than the schema's max_length \(limit)")
        }
        let writer = try writer(for: conversion, field: field, validator: validator)
        let fallback: CompiledFieldPlan.Fixed
        var fallbackValue = rule.defaultValue
        let source: CompiledFieldPlan.Source
        switch rule.source {
        case .paths(let paths):
            var slots: [Int] = []
            for path in paths {
                guard let slot = trie.slot(for: path) else { throw Refusal(reason: "field \(name): path \(path.text) has an array index") }
                slots.append(slot)
            }
            source = .paths(slots)
            fallback = fixed(rule.defaultValue, conversion, field, validator)
        case .constant(let constant):
            source = .fixed
            fallbackValue = constant.isEmptyValue ? rule.defaultValue : constant
            fallback = fixed(fallbackValue, conversion, field, validator)
        case .expression(let expression):
            guard case .call("concat", let arguments) = expression.root else {
                throw Refusal(reason: "field \(name): expression '\(expression.text)' is not compiled (only concat of paths and literals)")
            }
            var parts: [CompiledFieldPlan.ConcatPart] = []
            var literal = 0
            for argument in arguments {
                switch argument {
                case .path(let path):
                    guard let slot = trie.slot(for: path) else { throw Refusal(reason: "field \(name): path \(path.text) has an array index") }
                    parts.append(.slot(slot))
                case .literal(.null):
                    continue
                case .literal(let value):
                    guard let text = FieldConversion.scalarText(value) else { throw Refusal(reason: "field \(name): concat of a container literal") }
                    parts.append(.text(Array(text.utf8)))
                    literal += text.utf8.count
                default:
                    throw Refusal(reason: "field \(name): expression '\(expression.text)' is not compiled (only concat of paths and literals)")
                }
            }
            scratch = max(scratch, literal)
            source = .concat(parts)
            fallback = fixed(rule.defaultValue, conversion, field, validator)
        }
        return CompiledFieldPlan(
            target: name, prefix: JSONWriter.bytes(.string(name)) + [UInt8(ascii: ":")], source: source, fallback: fallback,
            fallbackValue: fallbackValue, required: rule.required, omitOnError: rule.omitOnError, conversion: conversion, writer: writer, isKey: isKey)
    }

    static func writer(for conversion: FieldConversion, field: FieldSchema, validator: SchemaValidator) throws(Refusal) -> CompiledFieldPlan.Writer {
        switch conversion.type {
        case .string:
            return .text(trim: conversion.trim, maxLength: conversion.maxLength)
        case .enum:
            var keys: [[UInt8]] = []
            var outputs: [CompiledFieldPlan.Encoded] = []
            for (key, value) in (conversion.enumMap ?? [:]).sorted(by: { $0.key < $1.key }) {
                guard StableText.isStable(key) else { throw Refusal(reason: "field \(field.name): map key '\(key)' is not in a stable Unicode form") }
                if let values = conversion.enumValues, !values.contains(value) {
                    throw Refusal(reason: "field \(field.name): map value '\(value)' is not one of the schema's values")
                }
                keys.append(Array(key.utf8))
                outputs.append(encoded(.string(value)))
            }
            if let values = conversion.enumValues, !values.allSatisfy({ StableText.isStable($0) }) {
                throw Refusal(reason: "field \(field.name): an enum value is not in a stable Unicode form")
            }
            return .enumeration(
                keys: keys, outputs: outputs, values: conversion.enumValues?.map { Array($0.utf8) }, hasMap: conversion.enumMap != nil,
                mapOnly: conversion.mapOnly)
        default:
            return .general(field, validator)
        }
    }

    static func encoded(_ value: JSONValue) -> CompiledFieldPlan.Encoded {
        CompiledFieldPlan.Encoded(json: JSONWriter.bytes(value), key: CompiledFieldPlan.keyBytes(value), filled: !MapStage.isEmpty(value))
    }

    /// A default or constant, converted once.
    static func fixed(_ value: JSONValue?, _ conversion: FieldConversion, _ field: FieldSchema, _ validator: SchemaValidator) -> CompiledFieldPlan.Fixed {
        guard let value, !value.isEmptyValue else { return .absent }
        guard let converted = try? conversion.convert(value) else { return .failure }
        if validator.check(converted, field) != nil { return .unsupported }
        return .value(encoded(converted))
    }
}
