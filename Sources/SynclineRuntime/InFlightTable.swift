import SynclineMapping

/// The outputs handed to the producer and not yet acknowledged, in a slab indexed by the token
/// carried in each message's opaque: a delivery report finds its entry without hashing, and slots
/// are reused so the table allocates only when the window grows. A token is the slot index plus a
/// per-slot generation, so a stale report (after a crash purge) never matches a reused slot.
struct InFlightTable {
    private var slots: [InFlightOutput?] = []
    private var generations: [UInt32] = []
    private var free: [Int] = []
    private(set) var count = 0
    /// Bytes of the outputs in the table (values and keys), for the in-flight byte bound.
    private(set) var bytes = 0

    var isEmpty: Bool { count == 0 }

    /// Stores `item` and returns the token to pass to the producer (never 0, below 2^62).
    mutating func insert(_ item: InFlightOutput) -> UInt64 {
        let index: Int
        if let reused = free.popLast() {
            index = reused
            slots[index] = item
        } else {
            index = slots.count
            slots.append(item)
            generations.append(0)
        }
        generations[index] &+= 1
        count += 1
        bytes += item.output.byteCount
        return (UInt64(generations[index] & 0x3FFF_FFFF) << 32) | UInt64(index + 1)
    }

    /// Removes and returns the entry a delivery report names, if it is still in the table.
    mutating func remove(token: UInt64) -> InFlightOutput? {
        let index = Int(token & 0xFFFF_FFFF) - 1
        guard index >= 0, index < slots.count, UInt64(generations[index] & 0x3FFF_FFFF) == token >> 32,
              let item = slots[index] else { return nil }
        slots[index] = nil
        free.append(index)
        count -= 1
        bytes -= item.output.byteCount
        return item
    }

    /// Everything still in flight, taken out (to send again through a new producer).
    mutating func drain() -> [InFlightOutput] {
        var items: [InFlightOutput] = []
        items.reserveCapacity(count)
        for index in slots.indices {
            if let item = slots[index] { items.append(item) }
        }
        removeAll()
        return items
    }

    /// Everything still in flight, emptied (a crash abandons them; their inputs stay uncommitted).
    mutating func removeAll() {
        for index in slots.indices where slots[index] != nil {
            slots[index] = nil
            free.append(index)
        }
        count = 0
        bytes = 0
    }
}

extension OutputRecord {
    /// Key and value bytes: what the in-flight byte bound counts.
    var byteCount: Int { (value?.count ?? 0) + (key?.count ?? 0) }
}
