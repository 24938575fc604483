public import Logging
public import SynclineStore
import Foundation
import SynclineMapping
import Synchronization

/// Records leads and tickets for the weekly follow-up report off the Kafka path: the stage only
/// hands each one over (a bounded queue); a background thread links it to a customer through the
/// identity index (phones read in the writing connector's region) and writes it, about once a
/// second. The report is a weekly view, so a few seconds of delay cost nothing; the hot path no
/// longer pays a SQLite read per record.
public final class FollowUpRecorder: @unchecked Sendable {
    /// One lead or ticket waiting to be recorded.
    public struct Pending: Sendable {
        public var customerID: String?
        public var identifiers: [CustomerIdentity.Identifier]
        public var kind: String
        public var reference: String
        public var atMs: Int64
        public var activityID: String?
    }

    /// A lead or ticket output as produced, read on the recorder's thread.
    public struct Output: Sendable {
        public var topic: String
        public var value: [UInt8]
        public var eventID: String?
        /// The record's source (or broker) time, used when the output carries no time of its own.
        public var fallbackMs: Int64?
        public var coordinates: String
        /// The writing connector's `defaults.phone_region`, for phones written without a country code.
        public var phoneRegion: String
    }

    private let store: ActivityStore
    private let index: IdentityIndex
    private let logger: Logger
    private let queue = Mutex<[Output]>([])
    /// Whether the identity index holds any identifier: while it is empty no lead or ticket can be
    /// linked by phone, email or external id, so only outputs naming a customer are worth handing
    /// over (re-read once a second on the recorder's thread).
    private let indexHasIdentities = Atomic<Bool>(true)
    private let dropped = Atomic<Int>(0)
    public let capacity: Int

    public init(store: ActivityStore, index: IdentityIndex, logger: Logger, capacity: Int = 50_000) {
        self.store = store
        self.index = index
        self.logger = logger
        self.capacity = capacity
        refreshIndexState()
        let thread = Thread { [weak self] in
            while true {
                Thread.sleep(forTimeInterval: 1)
                guard let self else { return }
                self.flush()
            }
        }
        thread.name = "syncline-follow-up"
        thread.start()
    }

    /// Whether an output is worth handing over: it can be linked (the index has identifiers), or it
    /// names its customer itself. Cheap: one atomic load, and a byte search only while the index is empty.
    public func wants(_ value: [UInt8]) -> Bool {
        indexHasIdentities.load(ordering: .relaxed) || Self.namesCustomer(value)
    }

    static let customerField = Array(#""customer_id":""#.utf8)

    /// Whether the output carries a `customer_id` string (a byte search, no parse): libc's `memchr`
    /// finds each quote, `memcmp` compares the rest.
    public static func namesCustomer(_ value: [UInt8]) -> Bool {
        guard value.count >= customerField.count else { return false }
        return value.withUnsafeBytes { haystack in
            customerField.withUnsafeBytes { needle in
                guard let base = haystack.baseAddress, let pattern = needle.baseAddress else { return false }
                var at = 0
                let last = haystack.count - needle.count
                while at <= last {
                    guard let found = memchr(base + at, Int32(pattern.load(as: UInt8.self)), last - at + 1) else { return false }
                    at = base.distance(to: UnsafeRawPointer(found))
                    if memcmp(base + at, pattern, needle.count) == 0 { return true }
                    at += 1
                }
                return false
            }
        }
    }

    /// The byte-by-byte search `namesCustomer` replaced: the test oracle.
    static func namesCustomerReference(_ value: [UInt8]) -> Bool {
        let needle = customerField
        guard value.count >= needle.count else { return false }
        var index = 0
        let last = value.count - needle.count
        while index <= last {
            if value[index] == needle[0] {
                var matched = 1
                while matched < needle.count, value[index + matched] == needle[matched] { matched += 1 }
                if matched == needle.count { return true }
            }
            index += 1
        }
        return false
    }

    private func refreshIndexState() {
        let identifiers = (try? index.counts().identifiers) ?? 1
        indexHasIdentities.store(identifiers > 0, ordering: .relaxed)
    }

    /// Hands one lead or ticket over; over capacity the oldest waiting ones are dropped (and counted).
    public func enqueue(_ output: Output) {
        let overflow = queue.withLock { items -> Int in
            items.append(output)
            let excess = items.count - capacity
            if excess > 0 { items.removeFirst(excess) }
            return max(0, excess)
        }
        if overflow > 0 { dropped.add(overflow, ordering: .relaxed) }
    }

    /// Leads/tickets dropped because the recorder could not keep up.
    public var droppedCount: Int { dropped.load(ordering: .relaxed) }

    /// Links and writes everything waiting now.
    public func flush() {
        refreshIndexState()
        let outputs = queue.withLock { items -> [Output] in
            defer { items.removeAll(keepingCapacity: true) }
            return items
        }
        let nowMs = EpochClock.nowMs()
        var linkers: [String: CustomerLinker] = [:]
        for output in outputs {
            guard let item = FollowUpStage.pending(output, nowMs: nowMs) else { continue }
            let linker = linkers[output.phoneRegion] ?? CustomerLinker(index: index, phoneRegion: output.phoneRegion, logger: logger)
            linkers[output.phoneRegion] = linker
            guard let customer = item.customerID ?? linker.link(item.identifiers)?.customerID else { continue }
            do {
                try store.recordInterest(customerID: customer, kind: item.kind, reference: item.reference, atMs: item.atMs)
                if item.kind == "ticket" {
                    try store.recordContact(customerID: customer, atMs: item.atMs, kind: item.kind, activityID: item.activityID)
                }
            } catch {
                logger.warning("follow-up: cannot record the \(item.kind) of \(customer): \(error)")
            }
        }
    }
}
