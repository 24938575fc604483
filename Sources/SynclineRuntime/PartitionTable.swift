/// The runtime's per-partition state, in an array so the hot path finds a record's partition with
/// one comparison when records come in runs of one partition (they do: librdkafka hands out
/// fetched batches), and with one hash lookup otherwise.
struct PartitionTable {
    /// One assigned input partition.
    struct Slot {
        let key: PartitionKey
        /// Bumped on every revoke, so deliveries of a revoked assignment never touch a new one.
        let generation: Int
        var progress = PartitionProgress()
        var gaps: InputGapTracker
        var lastConsumed: (offset: Int64, timestampMs: Int64)?
        var assigned = true
    }

    private(set) var slots: [Slot] = []
    private var index: [PartitionKey: Int] = [:]
    private var generations: [PartitionKey: Int] = [:]
    private var lastHit: (topic: String, partition: Int32, slot: Int)?

    /// Starts tracking a newly assigned partition (a fresh slot: progress starts empty).
    mutating func assign(_ key: PartitionKey, committed: Int64?) {
        let generation = generations[key, default: 0] + 1
        generations[key] = generation
        let slot = Slot(key: key, generation: generation, gaps: InputGapTracker(committed: committed))
        if let existing = index[key] {
            slots[existing] = slot
        } else {
            index[key] = slots.count
            slots.append(slot)
        }
        lastHit = nil
    }

    /// Stops tracking a revoked partition: records and reports of it are ignored from now on.
    mutating func revoke(_ key: PartitionKey) {
        guard let position = index[key] else { return }
        slots[position].assigned = false
        slots[position].progress = PartitionProgress()
        slots[position].lastConsumed = nil
        lastHit = nil
    }

    /// The slot of an assigned partition.
    mutating func slot(topic: String, partition: Int32) -> Int? {
        if let lastHit, lastHit.partition == partition, lastHit.topic == topic { return lastHit.slot }
        guard let position = index[PartitionKey(topic: topic, partition: partition)], slots[position].assigned else { return nil }
        lastHit = (topic, partition, position)
        return position
    }

    /// The slot of `key` if it is still assigned in the same generation.
    func live(_ slot: Int, generation: Int) -> Bool {
        slot >= 0 && slot < slots.count && slots[slot].assigned && slots[slot].generation == generation
    }

    subscript(slot: Int) -> Slot {
        // `_read`, not `get`: reading one field must not copy the slot (its progress ring and gaps).
        _read { yield slots[slot] }
        _modify { yield &slots[slot] }
    }

    var assignedSlots: [Int] { slots.indices.filter { slots[$0].assigned } }
}
