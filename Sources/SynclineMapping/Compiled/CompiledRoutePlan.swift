/// One route compiled to run over input bytes: its `when`, its members in the output's order
/// (fields and `extra`) with pre-encoded names, its checks, key and completeness labels. Running it
/// appends the route's output to the context, or answers false (bail) when only the interpreter
/// can decide the record (a rejection, an escape, an unusual value), leaving the context as it was.
/// A class, as `CompiledFieldPlan`: taking a struct of arrays (and its `RouteSpec`) out of the
/// stage's entries for every record cost a retain and release per reference.
final class CompiledRoutePlan: Sendable {
    /// A member of the canonical output, in output order.
    enum Member: Sendable {
        case field(CompiledFieldPlan)
        /// `extra`: every member the collector saw except the keys rules read, sorted by key.
        case extra(prefix: [UInt8], collector: Int, used: [[UInt8]])
    }

    /// The hot loop's view of `members`: field plans by unmanaged reference (kept alive by
    /// `members`), so walking a route's ~25 fields retains and releases nothing per record.
    enum Step: Sendable {
        case field(Unmanaged<CompiledFieldPlan>)
        case extra
    }

    let route: RouteSpec
    let steps: [Step]
    let when: CompiledCondition?
    /// A plain route (no field rules): the input passes unchanged.
    let passthrough: Bool
    let members: [Member]
    let checks: [CompiledCheck]
    /// The member keying the output, or -1 to keep the input's key.
    let keyMember: Int
    /// Completeness: each schema field's member (-1: none), in label order from `completenessBase`
    /// in `labels` (the connector's completeness labels).
    let completeness: [Int]
    let completenessBase: Int
    let labels: FieldLabels?
    /// Bytes of the pre-encoded names, to size the output buffer.
    let literalBytes: Int
    /// The route's topic and name, read for every output.
    let topic: String
    let name: String

    init(
        route: RouteSpec, when: CompiledCondition?, passthrough: Bool, members: [Member], checks: [CompiledCheck],
        keyMember: Int, completeness: [Int], completenessBase: Int, labels: FieldLabels?, literalBytes: Int
    ) {
        self.route = route
        self.when = when
        self.passthrough = passthrough
        self.members = members
        steps = members.map { member in
            switch member {
            case .field(let plan): .field(Unmanaged.passUnretained(plan))
            case .extra: .extra
            }
        }
        self.checks = checks
        self.keyMember = keyMember
        self.completeness = completeness
        self.completenessBase = completenessBase
        self.labels = labels
        self.literalBytes = literalBytes
        self.topic = route.topic
        self.name = route.name
    }

    /// Whether the route takes the record (nil: undecided).
    func matches(_ input: UnsafeBufferPointer<UInt8>, _ slots: UnsafeMutableBufferPointer<ByteSlot>) -> Bool? {
        guard let when else { return true }
        return when.evaluate(input, slots, UnsafeMutableBufferPointer(start: nil, count: 0))
    }

    /// What running the route did with the record.
    enum Outcome {
        /// The output (if any) is appended to the context.
        case wrote
        /// A check failed: the interpreter's own rejection, message included.
        case rejected(Rejection)
        /// Only the interpreter can decide this record.
        case bail
    }

    func run(_ input: UnsafeBufferPointer<UInt8>, _ scan: ScanResult, _ scratch: UnsafeMutableBufferPointer<UInt8>, _ context: inout RecordContext) -> Outcome {
        let record = context.input
        if passthrough {
            context.outputs.append(OutputRecord(topic: topic, key: record.key, value: record.value, headers: record.headers))
            context.routes.append(name)
            return .wrote
        }
        return withUnsafeTemporaryAllocation(of: Bool.self, capacity: members.count &* 3) { flags -> Outcome in
            let present = UnsafeMutableBufferPointer(rebasing: flags[0..<members.count])
            let filled = UnsafeMutableBufferPointer(rebasing: flags[members.count..<(members.count &* 2)])
            let omitted = UnsafeMutableBufferPointer(rebasing: flags[(members.count &* 2)...])
            omitted.initialize(repeating: false)
            var out: [UInt8] = []
            out.reserveCapacity(input.count &+ literalBytes &+ 16)
            out.append(UInt8(ascii: "{"))
            var key: [UInt8]?
            var first = true
            for position in 0..<steps.count {
                let mark = out.count
                if !first { out.append(UInt8(ascii: ",")) }
                switch steps[position] {
                case .field(let plan):
                    let outcome = plan._withUnsafeGuaranteedRef { field in
                        field.appendPrefix(to: &out)
                        return field.run(input, scan.slots, scratch, into: &out, key: &key)
                    }
                    switch outcome {
                    case .bail: return .bail
                    case .skipped, .omitted:
                        out.removeLast(out.count &- mark)
                        present[position] = false
                        filled[position] = false
                        if case .omitted = outcome { omitted[position] = true }
                        continue
                    case .wrote(let isFilled):
                        present[position] = true
                        filled[position] = isFilled
                    }
                case .extra:
                    guard case .extra(let prefix, let collector, let used) = members[position] else { return .bail }
                    out.append(contentsOf: prefix)
                    guard let count = writeExtra(input, scan, collector, used, into: &out) else { return .bail }
                    present[position] = true
                    filled[position] = count > 0
                }
                first = false
            }
            out.append(UInt8(ascii: "}"))
            for check in checks {
                switch check.condition.evaluate(input, scan.slots, present) {
                case true?: continue
                case false?: return rejection(check, input, scan, scratch, present, omitted)
                case nil: return .bail
                }
            }
            var outputKey = record.key
            if keyMember >= 0 {
                guard present[keyMember], let key else { return .bail }
                outputKey = key
            }
            var headers: [RecordHeader] = []
            for header in record.headers where header.name == HeaderNames.traceparent || header.name == HeaderNames.tracestate {
                headers.append(header)
            }
            context.outputs.append(OutputRecord(topic: topic, key: outputKey, value: out, headers: headers))
            context.routes.append(name)
            if let labels {
                for (offset, member) in completeness.enumerated() {
                    context.fieldMarks.mark(completenessBase &+ offset, filled: member >= 0 && filled[member], labels: labels)
                }
            }
            return .wrote
        }
    }

    /// The interpreter's rejection for a failed check, when the compiled path can word it exactly
    /// (`CompiledCheck.rejection`); the reasons of fields left out by `on_error: omit` are asked of
    /// the reference conversion. Otherwise the record is interpreted.
    func rejection(
        _ check: CompiledCheck, _ input: UnsafeBufferPointer<UInt8>, _ scan: ScanResult, _ scratch: UnsafeMutableBufferPointer<UInt8>,
        _ present: UnsafeMutableBufferPointer<Bool>, _ omitted: UnsafeMutableBufferPointer<Bool>
    ) -> Outcome {
        guard check.canWord(present: present) else { return .bail }
        var reasons: [String] = []
        for position in 0..<members.count where omitted[position] {
            guard case .field(let plan) = members[position], let reason = plan.omissionReason(input, scan.slots, scratch) else { return .bail }
            reasons.append(reason)
        }
        return .rejected(check.rejection(omitted: reasons))
    }

    /// Writes the `extra` object; returns its member count, or nil to bail (a container or escaped value).
    func writeExtra(_ input: UnsafeBufferPointer<UInt8>, _ scan: ScanResult, _ collector: Int, _ used: [[UInt8]], into out: inout [UInt8]) -> Int? {
        withUnsafeTemporaryAllocation(of: Int.self, capacity: max(1, scan.memberCount)) { order -> Int? in
            var count = 0
            for index in 0..<scan.memberCount {
                let member = scan.members[index]
                guard member.collector == collector else { continue }
                if used.contains(where: { ByteText.equal(input, member.keyStart, member.keyEnd, $0) }) { continue }
                switch member.value.kind {
                case .object, .array: return nil
                case .string where member.value.escaped: return nil
                default: break
                }
                // Insertion by key bytes: for stable keys, byte order is `String` order.
                var slot = count
                while slot > 0, Self.less(input, member, scan.members[order[slot &- 1]]) {
                    order[slot] = order[slot &- 1]
                    slot &-= 1
                }
                order[slot] = index
                count &+= 1
            }
            out.append(UInt8(ascii: "{"))
            for position in 0..<count {
                let member = scan.members[order[position]]
                if position > 0 { out.append(UInt8(ascii: ",")) }
                ByteText.appendQuoted(input, member.keyStart, member.keyEnd, to: &out)
                out.append(UInt8(ascii: ":"))
                let value = member.value
                if value.kind == .string {
                    ByteText.appendQuoted(input, value.start, value.end, to: &out)
                } else {
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: input[value.start..<value.end]))
                }
            }
            out.append(UInt8(ascii: "}"))
            return count
        }
    }

    static func less(_ input: UnsafeBufferPointer<UInt8>, _ a: CollectedMember, _ b: CollectedMember) -> Bool {
        let lengthA = a.keyEnd &- a.keyStart
        let lengthB = b.keyEnd &- b.keyStart
        var offset = 0
        while offset < lengthA, offset < lengthB {
            let x = input[a.keyStart &+ offset]
            let y = input[b.keyStart &+ offset]
            if x != y { return x < y }
            offset &+= 1
        }
        return lengthA < lengthB
    }
}
