/// A bounded set of recently seen keys (oldest forgotten first): remembers which complaints this
/// instance already alerted on without growing for ever.
struct RecentKeys: Sendable {
    let capacity: Int
    private var members: Set<String> = []
    private var order: [String] = []
    private var head = 0

    init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    /// True when `key` was not remembered (and remembers it now).
    mutating func insert(_ key: String) -> Bool {
        guard members.insert(key).inserted else { return false }
        if order.count < capacity {
            order.append(key)
        } else {
            members.remove(order[head])
            order[head] = key
            head = (head + 1) % capacity
        }
        return true
    }

}
