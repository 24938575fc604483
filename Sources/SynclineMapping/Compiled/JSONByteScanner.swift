/// One pass over a record's bytes that checks strict RFC 8259 JSON exactly as `JSONParser` does
/// (UTF-8, escapes, surrogates, numbers, nesting limit) without building a tree. When given a
/// `PathTrie` it also fills the slots of the paths the compiled routes read, collects `extra`
/// members, and refuses (as `unsupported`) what only the interpreter can judge: duplicate keys,
/// escaped or canonically unstable keys. Used by `JSONByteValidator` and the compiled record path.
struct JSONByteScanner {
    /// Why a scan stopped.
    enum Outcome: Sendable, Equatable {
        case valid
        /// Not strict JSON; `JSONParser` gives the exact reason.
        case invalid
        /// Valid as far as scanned, but outside what the compiled path decides (the interpreter does).
        case unsupported
    }

    let bytes: UnsafeBufferPointer<UInt8>
    let nodes: [PathTrie.Node]
    let slots: UnsafeMutableBufferPointer<ByteSlot>
    /// Start/end pairs of the keys of the objects currently open, for duplicate detection.
    let keys: UnsafeMutableBufferPointer<Int>
    let members: UnsafeMutableBufferPointer<CollectedMember>
    /// Track paths and keys (false: only validate).
    let tracking: Bool
    var index = 0
    var depth = 0
    var keyTop = 0
    var memberCount = 0
    var stop = Outcome.valid
    /// The document is an object (what the decode stage requires).
    var rootIsObject = false

    init(
        bytes: UnsafeBufferPointer<UInt8>, nodes: [PathTrie.Node], slots: UnsafeMutableBufferPointer<ByteSlot>,
        keys: UnsafeMutableBufferPointer<Int>, members: UnsafeMutableBufferPointer<CollectedMember>, tracking: Bool
    ) {
        self.bytes = bytes
        self.nodes = nodes
        self.slots = slots
        self.keys = keys
        self.members = members
        self.tracking = tracking
    }

    mutating func scanDocument() -> Outcome {
        skipWhitespace()
        guard index < bytes.count else { return .invalid }
        rootIsObject = bytes[index] == UInt8(ascii: "{")
        guard value(node: tracking ? 0 : -1) != nil else { return stop }
        skipWhitespace()
        return index == bytes.count ? .valid : .invalid
    }

    @inline(__always)
    mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x0A, 0x0D, 0x09: index &+= 1
            default: return
            }
        }
    }

    mutating func fail(_ outcome: Outcome) -> ByteSlot? {
        stop = outcome
        return nil
    }

    mutating func stopped(_ outcome: Outcome) -> Bool {
        stop = outcome
        return false
    }

    /// Scans the value at `index`; `node` is its place in the trie (-1: not tracked).
    mutating func value(node: Int) -> ByteSlot? {
        guard index < bytes.count else { return fail(.invalid) }
        let start = index
        switch bytes[index] {
        case UInt8(ascii: "\""):
            guard let escaped = string() else { return fail(.invalid) }
            return ByteSlot(kind: .string, start: start &+ 1, end: index &- 1, escaped: escaped)
        case UInt8(ascii: "{"):
            guard object(node: node) else { return nil }
            return ByteSlot(kind: .object, start: start, end: index)
        case UInt8(ascii: "["):
            guard array() else { return nil }
            return ByteSlot(kind: .array, start: start, end: index)
        case UInt8(ascii: "t"):
            guard literal(0x74, 0x72, 0x75, 0x65) else { return fail(.invalid) }
            return ByteSlot(kind: .literalTrue, start: start, end: index)
        case UInt8(ascii: "n"):
            guard literal(0x6E, 0x75, 0x6C, 0x6C) else { return fail(.invalid) }
            return ByteSlot(kind: .null, start: start, end: index)
        case UInt8(ascii: "f"):
            guard literal(0x66, 0x61, 0x6C, 0x73), index < bytes.count, bytes[index] == 0x65 else { return fail(.invalid) }
            index &+= 1
            return ByteSlot(kind: .literalFalse, start: start, end: index)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            guard number() else { return fail(.invalid) }
            return ByteSlot(kind: .number, start: start, end: index)
        default:
            return fail(.invalid)
        }
    }

    mutating func literal(_ a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8) -> Bool {
        guard index &+ 4 <= bytes.count, bytes[index] == a, bytes[index &+ 1] == b, bytes[index &+ 2] == c, bytes[index &+ 3] == d
        else { return false }
        index &+= 4
        return true
    }

    mutating func enter() -> Bool {
        depth &+= 1
        return depth <= JSONParser.defaultMaxDepth
    }

    mutating func object(node: Int) -> Bool {
        guard enter() else { return stopped(.invalid) }
        index &+= 1
        let keyBase = keyTop
        defer { keyTop = keyBase }
        skipWhitespace()
        guard index < bytes.count else { return stopped(.invalid) }
        if bytes[index] == UInt8(ascii: "}") {
            index &+= 1
            depth &-= 1
            return true
        }
        let collector = node >= 0 ? nodes[node].collector : -1
        while true {
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { return stopped(.invalid) }
            let keyStart = index &+ 1
            guard let escaped = string() else { return stopped(.invalid) }
            let keyEnd = index &- 1
            var child = -1
            if tracking {
                guard !escaped, StableText.isStable(bytes, keyStart, keyEnd), isNewKey(keyStart, keyEnd, base: keyBase),
                    keyTop &+ 2 <= keys.count
                else { return stopped(.unsupported) }
                keys[keyTop] = keyStart
                keys[keyTop &+ 1] = keyEnd
                keyTop &+= 2
                if node >= 0 { child = find(keyStart, keyEnd, in: node) }
            }
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { return stopped(.invalid) }
            index &+= 1
            skipWhitespace()
            let descend = child >= 0 && nodes[child].descends ? child : -1
            guard let found = value(node: descend) else { return false }
            if child >= 0, nodes[child].slot >= 0 { slots[nodes[child].slot] = found }
            if collector >= 0 {
                guard memberCount < members.count else { return stopped(.unsupported) }
                members[memberCount] = CollectedMember(collector: collector, keyStart: keyStart, keyEnd: keyEnd, value: found)
                memberCount &+= 1
            }
            skipWhitespace()
            guard index < bytes.count else { return stopped(.invalid) }
            switch bytes[index] {
            case UInt8(ascii: ","):
                index &+= 1
            case UInt8(ascii: "}"):
                index &+= 1
                depth &-= 1
                return true
            default:
                return stopped(.invalid)
            }
        }
    }

    /// The trie child of `node` whose key is `bytes[start..<end]`, or -1.
    func find(_ start: Int, _ end: Int, in node: Int) -> Int {
        let length = end &- start
        let entry = nodes[node]
        for (position, key) in entry.keys.enumerated() where key.count == length {
            var same = true
            var offset = 0
            while offset < length {
                if key[offset] != bytes[start &+ offset] {
                    same = false
                    break
                }
                offset &+= 1
            }
            if same { return entry.children[position] }
        }
        return -1
    }

    /// False when the key equals one already seen in the same object.
    func isNewKey(_ start: Int, _ end: Int, base: Int) -> Bool {
        let length = end &- start
        var other = base
        while other < keyTop {
            let otherStart = keys[other]
            if keys[other &+ 1] &- otherStart == length {
                var offset = 0
                while offset < length, bytes[start &+ offset] == bytes[otherStart &+ offset] { offset &+= 1 }
                if offset == length { return false }
            }
            other &+= 2
        }
        return true
    }

    mutating func array() -> Bool {
        guard enter() else { return stopped(.invalid) }
        index &+= 1
        skipWhitespace()
        guard index < bytes.count else { return stopped(.invalid) }
        if bytes[index] == UInt8(ascii: "]") {
            index &+= 1
            depth &-= 1
            return true
        }
        while true {
            skipWhitespace()
            guard value(node: -1) != nil else { return false }
            skipWhitespace()
            guard index < bytes.count else { return stopped(.invalid) }
            switch bytes[index] {
            case UInt8(ascii: ","):
                index &+= 1
            case UInt8(ascii: "]"):
                index &+= 1
                depth &-= 1
                return true
            default:
                return stopped(.invalid)
            }
        }
    }
}
