/// The compiled record path: replaces decode → map → validate for a JSON connector whose routes
/// compile. One scan over the input bytes fills the slots every compiled route reads; each route
/// writes its canonical JSON straight into an output buffer, correct by construction, so no tree
/// is built and no output is parsed again. Routes that do not compile run on the interpreter (the
/// record is then also parsed); a record the compiled path cannot decide exactly (any rejection,
/// escapes, duplicate keys, unusual values) runs entirely on the interpreter, so verdicts are the
/// interpreter's. Every `selfCheckEvery`-th record (by offset) runs both and compares.
public struct CompiledRecordStage: RecordStage {
    public let name = "compiled"
    public let connector: String
    public let report: CompilationReport
    /// 1 in this many records (by offset) also runs on the interpreter; 0 turns the check off.
    public let selfCheckEvery: Int
    public static let defaultSelfCheckEvery = 1000

    enum Entry: Sendable {
        case compiled(CompiledRoutePlan)
        case interpreted(Int)
    }

    let entries: [Entry]
    let nodes: [PathTrie.Node]
    let slotCount: Int
    let scratchExtra: Int
    let envelope: CompiledEnvelope
    let maxPayloadBytes: Int
    let decode: DecodeStage
    let map: MapStage
    /// The full interpreter: decode, map and (with a catalog) validate.
    let interpreter: [any RecordStage]
    /// Validates only interpreted routes' outputs (when some routes are interpreted).
    let partialValidate: ValidateStage?

    static let keyCapacity = 512
    static let memberCapacity = 256

    /// The stage for a connector, or nil with the report when nothing compiles.
    public static func make(
        _ spec: ConnectorSpec, catalog: TopicCatalog?, selfCheckEvery: Int = defaultSelfCheckEvery
    ) -> (stage: CompiledRecordStage?, report: CompilationReport) {
        let decode = DecodeStage(spec: spec)
        let map = MapStage(spec: spec, catalog: catalog)
        func refused(_ reason: String) -> (CompiledRecordStage?, CompilationReport) {
            (nil, CompilationReport(connectorReason: reason, routes: spec.routes.map { .init(name: $0.name, fallbackReason: reason) }))
        }
        if spec.format != .json { return refused("format \(spec.format.rawValue) is decoded by the interpreter") }
        if let processor = spec.processor { return refused("processor \(processor) reads the decoded document") }
        if spec.resilience.rateLimit?.keyPath != nil { return refused("the rate limit reads its key from the decoded document") }
        if !map.eventIDPaths.isEmpty || !map.sourceTimePaths.isEmpty { return refused("event_id / source_timestamp list several paths") }
        var trie = PathTrie()
        guard let envelope = CompiledEnvelope(decode: decode, trie: &trie) else { return refused("event_id or source_timestamp path has an array index") }
        var scratch = 0
        var entries: [Entry] = []
        var routes: [CompilationReport.Route] = []
        for (index, interpreted) in map.routes.enumerated() {
            do {
                entries.append(.compiled(try RouteCompiler.compile(interpreted, connector: map.connector, labels: map.fieldLabels, catalog: catalog, trie: &trie, scratch: &scratch)))
                routes.append(.init(name: interpreted.route.name, fallbackReason: nil))
            } catch {
                entries.append(.interpreted(index))
                routes.append(.init(name: interpreted.route.name, fallbackReason: error.reason))
            }
        }
        let report = CompilationReport(connectorReason: nil, routes: routes)
        guard routes.contains(where: \.isCompiled) else { return (nil, report) }
        var interpreter: [any RecordStage] = [decode, map]
        var partialValidate: ValidateStage?
        if let catalog {
            let passthrough = Set(spec.routes.filter(\.isPassthrough).map(\.name))
            interpreter.append(ValidateStage(connector: spec.name, catalog: catalog, passthroughRoutes: passthrough))
            partialValidate = ValidateStage(connector: spec.name, catalog: catalog, passthroughRoutes: passthrough.union(report.compiledRoutes))
        }
        let stage = CompiledRecordStage(
            connector: spec.name, report: report, selfCheckEvery: max(0, selfCheckEvery), entries: entries, nodes: trie.nodes,
            slotCount: trie.slotCount, scratchExtra: scratch, envelope: envelope, maxPayloadBytes: spec.maxPayloadBytes,
            decode: decode, map: map, interpreter: interpreter,
            partialValidate: routes.allSatisfy(\.isCompiled) ? nil : partialValidate)
        return (stage, report)
    }

    var hasInterpretedRoutes: Bool { report.routes.contains { !$0.isCompiled } }

    public func process(_ context: inout RecordContext) throws(Rejection) {
        if selfCheckEvery > 0, context.input.offset % Int64(selfCheckEvery) == 0 {
            try selfCheck(&context)
            return
        }
        var attempt = context
        switch runCompiled(&attempt) {
        case .done:
            context = attempt
        case .rejected(let rejection):
            throw rejection
        case .bail:
            try interpret(&context)
        }
    }

    /// The interpreter's verdict on the record (the reference).
    func interpret(_ context: inout RecordContext) throws(Rejection) {
        for stage in interpreter { try stage.process(&context) }
    }

    /// What the compiled path did with a record.
    enum Run {
        case done
        /// An interpreted route (or the parse it needs) rejected the record: the interpreter's own verdict.
        case rejected(Rejection)
        /// Only the interpreter can decide this record.
        case bail
    }

    func runCompiled(_ context: inout RecordContext) -> Run {
        guard let value = context.input.value, value.count <= maxPayloadBytes else { return .bail }
        if hasInterpretedRoutes {
            do {
                try decode.process(&context)
            } catch {
                return .rejected(error)
            }
        }
        return value.withUnsafeBufferPointer { input in
            withUnsafeTemporaryAllocation(of: ByteSlot.self, capacity: max(1, slotCount)) { slots in
                slots.initialize(repeating: .missing)
                return withUnsafeTemporaryAllocation(of: Int.self, capacity: Self.keyCapacity) { keys in
                    withUnsafeTemporaryAllocation(of: CollectedMember.self, capacity: Self.memberCapacity) { members in
                        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: input.count &+ scratchExtra &+ 1) { scratch in
                            var scanner = JSONByteScanner(bytes: input, nodes: nodes, slots: slots, keys: keys, members: members, tracking: true)
                            guard scanner.scanDocument() == .valid, scanner.rootIsObject else { return .bail }
                            let scan = ScanResult(slots: slots, members: members, memberCount: scanner.memberCount)
                            return route(input, scan, scratch, &context)
                        }
                    }
                }
            }
        }
    }

    func route(_ input: UnsafeBufferPointer<UInt8>, _ scan: ScanResult, _ scratch: UnsafeMutableBufferPointer<UInt8>, _ context: inout RecordContext) -> Run {
        if !hasInterpretedRoutes {
            guard envelope.read(input, scan.slots, &context) else { return .bail }
        }
        var matched = false
        for entry in entries {
            switch entry {
            case .compiled(let plan):
                guard let takes = plan.matches(input, scan.slots) else { return .bail }
                guard takes else { continue }
                switch plan.run(input, scan, scratch, &context) {
                case .wrote: matched = true
                case .rejected(let rejection): return .rejected(rejection)
                case .bail: return .bail
                }
            case .interpreted(let index):
                do {
                    if try map.apply(route: index, &context) { matched = true }
                } catch {
                    return .rejected(error)
                }
            }
        }
        guard matched else { return .bail }
        if let partialValidate {
            do {
                try partialValidate.process(&context)
            } catch {
                return .rejected(error)
            }
        }
        return .done
    }
}
