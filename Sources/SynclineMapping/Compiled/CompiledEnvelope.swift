/// The decode stage's envelope reading (event id and source time, falling back to the `ce_id` /
/// `ce_time` headers) over slots instead of a document, with the same outcomes.
struct CompiledEnvelope: Sendable {
    let eventIDSlot: Int?
    let sourceTimeSlot: Int?
    let timestamps: TimestampParser

    /// nil when a path has an array index (not compiled).
    init?(decode: DecodeStage, trie: inout PathTrie) {
        if let path = decode.eventIDPath {
            guard let slot = trie.slot(for: path) else { return nil }
            eventIDSlot = slot
        } else {
            eventIDSlot = nil
        }
        if let path = decode.sourceTimestampPath {
            guard let slot = trie.slot(for: path) else { return nil }
            sourceTimeSlot = slot
        } else {
            sourceTimeSlot = nil
        }
        timestamps = decode.timestamps
    }

    static func text(_ input: UnsafeBufferPointer<UInt8>, _ slot: ByteSlot) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: input[slot.start..<slot.end]), as: UTF8.self)
    }

    /// Sets the event id and source time; false when the record must be interpreted (an escaped
    /// value, or no event id at all, which the decode stage rejects).
    func read(_ input: UnsafeBufferPointer<UInt8>, _ slots: UnsafeMutableBufferPointer<ByteSlot>, _ context: inout RecordContext) -> Bool {
        let headers = context.input.headers
        var id: String?
        if let eventIDSlot {
            let slot = slots[eventIDSlot]
            switch slot.kind {
            case .string:
                if slot.escaped { return false }
                if slot.start < slot.end { id = Self.text(input, slot) }
            case .number: id = Self.text(input, slot)
            case .literalTrue: id = "true"
            case .literalFalse: id = "false"
            default: break
            }
        }
        if let id {
            context.eventID = id
        } else if let header = headers.last(named: HeaderNames.ceID)?.text, !header.isEmpty {
            context.eventID = header
        } else if eventIDSlot != nil {
            return false
        }
        if let sourceTimeSlot {
            let slot = slots[sourceTimeSlot]
            switch slot.kind {
            case .missing, .null:
                break
            case .string:
                if slot.escaped { return false }
                let (low, high) = ByteText.trim(input, slot.start, slot.end)
                guard low < high else { break }
                note(timestamps.milliseconds(bytes: input, low, high) ?? (try? timestamps.milliseconds(Self.text(input, slot))), &context)
                return true
            case .number:
                note(
                    TimestampParser.epochMilliseconds(bytes: input, slot.start, slot.end)
                        ?? (try? TimestampParser.epochMilliseconds(Self.text(input, slot))), &context)
                return true
            case .literalTrue, .literalFalse, .object, .array:
                context.sourceTimeProblem = "unparseable"
                return true
            }
        }
        if let header = headers.last(named: HeaderNames.ceTime)?.text, !header.isEmpty {
            note(try? timestamps.milliseconds(header), &context)
        } else {
            context.sourceTimeProblem = "missing"
        }
        return true
    }

    func note(_ milliseconds: Int64?, _ context: inout RecordContext) {
        if let milliseconds { context.sourceTimeMs = milliseconds } else { context.sourceTimeProblem = "unparseable" }
    }
}
