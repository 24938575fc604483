/// The source paths a connector's compiled routes read, merged into one tree of pre-encoded UTF-8
/// keys, so a single pass over the input fills every path's slot (`fields.手机` and `fields.邮箱`
/// share the `fields` node). Paths with array indices are not compiled.
struct PathTrie: Sendable {
    /// One object level: the keys looked for in it, and what to do with the value found.
    struct Node: Sendable {
        var keys: [[UInt8]] = []
        var children: [Int] = []
        /// The slot the value at this node is stored in, or -1.
        var slot = -1
        /// The `extra` collector that receives every member of the object at this node, or -1.
        var collector = -1

        /// True when the scanner has anything to do inside an object at this node.
        var descends: Bool { !keys.isEmpty || collector >= 0 }
    }

    private(set) var nodes: [Node] = [Node()]
    private(set) var slotCount = 0
    private(set) var collectorCount = 0

    /// The node reached by the path's keys, creating it; nil for a path with an array index.
    private mutating func node(for path: SourcePath) -> Int? {
        var current = 0
        for segment in path.segments {
            guard case .key(let key) = segment else { return nil }
            let bytes = Array(key.utf8)
            if let found = nodes[current].keys.firstIndex(of: bytes) {
                current = nodes[current].children[found]
            } else {
                nodes.append(Node())
                let created = nodes.count - 1
                nodes[current].keys.append(bytes)
                nodes[current].children.append(created)
                current = created
            }
        }
        return current
    }

    /// The slot holding the value at `path` (shared by every rule reading the same path).
    mutating func slot(for path: SourcePath) -> Int? {
        guard let node = node(for: path) else { return nil }
        if nodes[node].slot < 0 {
            nodes[node].slot = slotCount
            slotCount += 1
        }
        return nodes[node].slot
    }

    /// A collector for every member of the object at `path`.
    mutating func collector(at path: SourcePath) -> Int? {
        guard let node = node(for: path) else { return nil }
        if nodes[node].collector < 0 {
            nodes[node].collector = collectorCount
            collectorCount += 1
        }
        return nodes[node].collector
    }
}
